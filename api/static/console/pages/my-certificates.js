import { download, post } from "../api.js";
import { field, h, notice } from "../dom.js";
import { submitter, today } from "./common.js";
import { me } from "./mine.js";

export async function render(main) {
  const member = await me();
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card" },
    field("起始日期（可选）", { type: "date", name: "from", max: today() }),
    field("截止日期（可选）", { type: "date", name: "to", max: today() }),
    h("button", { type: "submit" }, "开具志愿服务证明"));
  submitter(form, outlet, async (data) => {
    const body = {};
    if (data.get("from")) body.from = data.get("from");
    if (data.get("to")) body.to = data.get("to");
    const issued = await post(`/v1/members/${member.id}/certificates`, body);
    const save = h("button", { type: "button" }, "下载 PDF");
    save.addEventListener("click", () => download(`/v1/certificates/${issued.number}/pdf`, {}, `${issued.number}.pdf`));
    return h("div", {}, notice(`已开具证明 ${issued.number}：${issued.hours} 小时，${issued.activities} 次活动。`), save);
  });
  main.append(h("h1", {}, "志愿服务证明"),
    h("p", { class: "muted" }, "证明上的时长来自你的参加记录，可扫码核验真伪。"), form, outlet);
}
