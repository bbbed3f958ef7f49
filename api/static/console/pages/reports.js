import { get, post } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { KINDS, homePlaces } from "../scope.js";
import { shanghai, submitter, today, years } from "./common.js";
import { placeChooser } from "./places.js";

const SCOPES = { all: "全部辖区", district: KINDS.district, street: KINDS.street, community: KINDS.community, grid: "网格" };

export async function render(main, params) {
  main.append(h("h1", {}, "年度报表"), await listSection(params), await publishSection());
}

async function listSection(params) {
  const year = params.get("year") || "";
  const listed = await get("/v1/reports", { year, limit: 50, cursor: params.get("cursor") });
  const where = (r) => (r.scope === "all" ? SCOPES.all : `${SCOPES[r.scope]}：${r.scope_name || r.scope_id.slice(0, 8)}`);
  const filters = h("form", { class: "filters", method: "get", action: "/console/reports" },
    field("筛选年度", { tag: "select", name: "year", value: year, options: [["", "全部年度"], ...years().map((y) => [y, `${y} 年`])] }),
    h("button", { type: "submit", class: "secondary" }, "筛选"));
  const more = listed.next_cursor
    ? link(`/console/reports?${new URLSearchParams({ year, cursor: listed.next_cursor })}`, "下一页")
    : "";
  return h("section", { class: "card", "aria-labelledby": "reports-title" },
    h("h2", { id: "reports-title" }, "已发布的报表"), filters,
    table("已发布的报表", [
      [(r) => link(`/console/reports/${r.id}`, `${r.year} 年 · ${where(r)}`), "报表"],
      ["as_of", "截至"], [(r) => shanghai(r.published_at), "发布时间"], ["position", "事件日志位置"],
    ], listed.items, "还没有发布的报表"),
    more);
}

async function publishSection() {
  const outlet = h("div", { "aria-live": "polite" });
  const [home] = homePlaces();
  const chooser = await placeChooser({ legend: "范围", single: true, initial: home,
    names: { deployment: "all", district: "district", street: "street", community: "community" } });
  const form = h("form", { class: "narrow" },
    chooser.element,
    field("年度", { tag: "select", name: "year", options: years().map((y) => [y, `${y} 年`]) }),
    field("截至日期（可选）", { type: "date", name: "as_of", max: today() }),
    h("button", { type: "submit" }, "发布"));
  submitter(form, outlet, async (data) => {
    const [place] = chooser.chosen();
    if (!place) return notice("请先选择报表的范围。", "error");
    const { kind, id } = place;
    const body = { scope: kind === "deployment" ? "all" : kind, year: Number(data.get("year")) };
    if (id) body.scope_id = id;
    if (data.get("as_of")) body.as_of = data.get("as_of");
    const published = await post("/v1/reports", body);
    location.assign(`/console/reports/${published.id}`);
  });
  return h("section", { class: "card", "aria-labelledby": "publish-title" },
    h("h2", { id: "publish-title" }, "发布年度报表"),
    h("p", { class: "muted" }, "发布时固定当时的数字、事件日志位置和摘要；之后可随时核验。"), form, outlet);
}
