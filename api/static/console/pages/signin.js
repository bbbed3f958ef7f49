import { get, session } from "../api.js";
import { field, h, notice } from "../dom.js";

export async function render(main, params) {
  const next = params.get("next") || "";
  const target = next.startsWith("/console") && !next.startsWith("/console/signin") ? next : "/console/";
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card narrow" },
    field("访问令牌", { name: "token", type: "password", required: true, autocomplete: "current-password" },
      "由管理员用 vpoints token create 签发；只保存在本标签页，关闭即清除。"),
    h("button", { type: "submit" }, "登录"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = new FormData(form).get("token").trim();
    outlet.replaceChildren();
    try {
      const scope = await get("/v1/me/token", {}, { token });
      session.signIn(token, scope);
      location.assign(target);
    } catch (error) {
      outlet.append(notice(error.status === 401 ? "令牌无效或已撤销。" : error.message, "error"));
    }
  });
  main.append(h("h1", {}, "登录"), form, outlet);
  form.querySelector("input").focus();
}
