import { upload } from "../api.js";
import { field, h, notice } from "../dom.js";
import { community, sheetLayout, submitter } from "./common.js";

export async function render(main, params) {
  const place = await community(main, params, "导入花名册", "/console/members/import");
  if (!place) return;
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card" },
    field("花名册文件（CSV、XLSX 或 XLS）", { type: "file", name: "file", required: true, accept: ".csv,.xlsx,.xls" },
      "列：姓名、手机号、网格（可选）、政治面貌（可选）、单位（可选）、登记日期（可选）。表头上面的标题、表下的填表人等会跳过，序号、签名、备注等其他列不导入。有任何一行不对，整份都不登记。"),
    field("只检查，不登记", { type: "checkbox", name: "dry_run", value: "true" }),
    h("button", { type: "submit" }, "导入"));
  submitter(form, outlet, async (data) => {
    const dry = data.get("dry_run") === "true";
    const done = await upload(`/v1/communities/${place.id}/members/import`, data.get("file"), { dry_run: dry ? "true" : "" });
    return notice(`${dry ? "检查通过" : "导入完成"}：共 ${done.rows} 行，新登记 ${done.created} 人，已存在 ${done.unchanged} 人。${sheetLayout(done)}`);
  });
  main.append(h("h1", {}, `${place.name} · 导入花名册`), form, outlet);
}
