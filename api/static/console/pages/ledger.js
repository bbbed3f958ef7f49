import { download } from "../api.js";
import { field, h, notice } from "../dom.js";
import { KINDS, communities, homePlaces, children, ledgerPath } from "../scope.js";
import { problem, years } from "./common.js";

export async function render(main) {
  const places = [];
  for (const place of homePlaces()) {
    if (place.kind === "deployment") places.push(...(await children("deployment", "")));
    else places.push(place);
  }
  for (const c of await communities()) if (!places.some((p) => p.id === c.id)) places.push(c);
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card narrow" },
    field("范围", { tag: "select", name: "place", required: true, options: places.map((p) => [`${p.kind}:${p.id}`, `${KINDS[p.kind]}：${p.name}`]) }),
    field("年度", { tag: "select", name: "year", options: years().map((y) => [y, `${y} 年`]) }),
    field("格式", { tag: "select", name: "format", options: [["xlsx", "Excel（xlsx）"], ["csv", "CSV"]] }),
    h("button", { type: "submit" }, "下载台账"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const [kind, id] = data.get("place").split(":");
    outlet.replaceChildren();
    try {
      const name = await download(ledgerPath(kind, id), { year: data.get("year"), format: data.get("format") }, `台账.${data.get("format")}`);
      outlet.append(notice(`已下载 ${name}`));
    } catch (error) {
      outlet.append(problem(error));
    }
  });
  main.append(h("h1", {}, "下载台账"), h("p", { class: "muted" }, "台账含签到、志愿者、活动和年度数字，可直接报送。"), form, outlet);
}
