import { download } from "../api.js";
import { field, h, notice } from "../dom.js";
import { homePlaces, ledgerPath } from "../scope.js";
import { problem, years } from "./common.js";
import { placeChooser } from "./places.js";

export async function render(main) {
  const [home] = homePlaces();
  const chooser = await placeChooser({ legend: "范围", single: true,
    initial: home && home.kind !== "deployment" ? home : undefined,
    names: { district: "district", street: "street", community: "community" } });
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card narrow" },
    chooser.element,
    field("年度", { tag: "select", name: "year", options: years().map((y) => [y, `${y} 年`]) }),
    field("格式", { tag: "select", name: "format", options: [["xlsx", "Excel（xlsx）"], ["csv", "CSV"]] }),
    h("button", { type: "submit" }, "下载台账"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const [place] = chooser.chosen();
    outlet.replaceChildren();
    if (!place) {
      outlet.append(notice("请先选择台账的范围。", "error"));
      return;
    }
    const { kind, id } = place;
    try {
      const name = await download(ledgerPath(kind, id), { year: data.get("year"), format: data.get("format") }, `台账.${data.get("format")}`);
      outlet.append(notice(`已下载 ${name}`));
    } catch (error) {
      outlet.append(problem(error));
    }
  });
  main.append(h("h1", {}, "下载台账"), h("p", { class: "muted" }, "台账含签到、志愿者、活动和年度数字，可直接报送。"), form, outlet);
}
