// Organiser accounts (组织者账号): listed with their scope, registered with a
// phone and the places they cover, and removed after a second click
// (administrators only).
import { get, post, remove } from "../api.js";
import { field, h, notice, table } from "../dom.js";
import { submitter } from "./common.js";
import { confirmed, scopeBody, scopeChooser, scopeText } from "./scopes.js";

export async function render(main) {
  const listed = h("div");
  const said = h("div", { "aria-live": "polite" });
  const draw = async (text) => {
    const { items } = await get("/v1/organisers");
    listed.replaceChildren(table("组织者账号", [
      ["name", "姓名"], ["phone", "手机号"],
      [(o) => scopeText(o), "权限范围"],
      [(o) => (o.removed ? "已移除" : "在用"), "状态"],
      [(o) => (o.removed ? "—" : confirmed("移除", o.name, `移除“${o.name}”后，其登录立即失效。确定吗？`, async () => {
        await remove(`/v1/organisers/${o.id}`);
        await draw(`已移除“${o.name}”。`);
      })), "操作"],
    ], items, "还没有组织者账号"));
    said.replaceChildren(text ? notice(text) : "");
  };
  await draw();
  main.append(h("h1", {}, "组织者账号"), said, listed, await createSection(draw));
}

async function createSection(draw) {
  const outlet = h("div", { "aria-live": "polite" });
  const scope = await scopeChooser("权限范围");
  const form = h("form", {},
    h("div", { class: "categories" },
      field("姓名", { name: "name", required: true, autocomplete: "off" }),
      field("手机号", { name: "phone", type: "tel", required: true, autocomplete: "off" }, "用这个手机号和验证码以组织者身份登录")),
    scope.element,
    h("button", { type: "submit" }, "登记组织者"));
  submitter(form, outlet, async (data) => {
    const added = await post("/v1/organisers", { name: data.get("name"), phone: data.get("phone"), ...scopeBody(data) });
    form.reset();
    scope.clear();
    await draw(`已登记组织者“${added.name}”（${added.phone}）。`);
  });
  return h("section", { class: "card" }, h("h2", {}, "登记组织者"), form, outlet);
}
