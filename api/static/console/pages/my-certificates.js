import { h } from "../dom.js";
import { certificateForm } from "./common.js";
import { me } from "./mine.js";

export async function render(main) {
  const member = await me();
  main.append(h("h1", {}, "志愿服务证明"),
    h("p", { class: "muted" }, "证明上的时长来自你的参加记录，可扫码核验真伪。"),
    h("section", { class: "card" }, certificateForm(member.id)));
}
