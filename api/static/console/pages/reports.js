import { post } from "../api.js";
import { field, h } from "../dom.js";
import { KINDS, communities, homePlaces } from "../scope.js";
import { submitter, today, years } from "./common.js";

export async function render(main) {
  const places = [...homePlaces(), ...(await communities())]
    .filter((p, i, all) => all.findIndex((q) => q.id === p.id && q.kind === p.kind) === i);
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card narrow" },
    field("范围", { tag: "select", name: "place", required: true, options: places.map((p) => [`${p.kind}:${p.id}`, `${KINDS[p.kind]}：${p.name}`]) }),
    field("年度", { tag: "select", name: "year", options: years().map((y) => [y, `${y} 年`]) }),
    field("截至日期（可选）", { type: "date", name: "as_of", max: today() }),
    h("button", { type: "submit" }, "发布"));
  submitter(form, outlet, async (data) => {
    const [kind, id] = data.get("place").split(":");
    const body = { scope: kind === "deployment" ? "all" : kind, year: Number(data.get("year")) };
    if (id) body.scope_id = id;
    if (data.get("as_of")) body.as_of = data.get("as_of");
    const published = await post("/v1/reports", body);
    location.assign(`/console/reports/${published.id}`);
  });
  const open = h("form", { class: "card narrow", method: "get", action: "/console/reports/open" },
    field("报表编号", { name: "id", required: true }), h("button", { type: "submit", class: "secondary" }, "查看"));
  open.addEventListener("submit", (event) => {
    event.preventDefault();
    location.assign(`/console/reports/${encodeURIComponent(new FormData(open).get("id").trim())}`);
  });
  main.append(h("h1", {}, "发布年度报表"),
    h("p", { class: "muted" }, "发布时固定当时的数字、事件日志位置和摘要；之后可随时核验。"), form, outlet,
    h("h2", {}, "查看已发布的报表"), open);
}
