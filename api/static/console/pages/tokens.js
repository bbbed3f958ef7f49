// API tokens (令牌): listed with their role and scope (never their secret),
// issued with the secret shown once and a copy button, and revoked after a
// second click (administrators only).
import { get, post, remove } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { submitter } from "./common.js";
import { confirmed, scopeBody, scopeChooser, scopeText } from "./scopes.js";

const ROLES = { admin: "管理员", organizer: "组织者", member: "志愿者" };

export async function render(main, params) {
  const listed = h("div");
  const said = h("div", { "aria-live": "polite" });
  const draw = async (text) => {
    const page = await get("/v1/tokens", { limit: 100, cursor: params.get("cursor") });
    listed.replaceChildren(table("令牌", [
      [(t) => t.label || "（无标签）", "标签"],
      [(t) => ROLES[t.role] || t.role, "角色"],
      [(t) => (t.role === "member" ? h("span", {}, "志愿者 ", link(`/console/members/${t.member_id}`, t.member_id)) : scopeText(t)), "权限范围"],
      [(t) => issuedAt(t.issued_at), "签发时间"],
      [(t) => (t.revoked ? "已撤销" : "有效"), "状态"],
      [(t) => (t.revoked ? "—" : confirmed("撤销", t.label || t.id, "撤销后，这个令牌从下一次请求起被拒绝。确定吗？", async () => {
        await remove(`/v1/tokens/${t.id}`);
        await draw(`已撤销令牌“${t.label || t.id}”。`);
      })), "操作"],
    ], page.items, "还没有签发过令牌"),
    page.next_cursor ? link(`/console/tokens?${new URLSearchParams({ cursor: page.next_cursor })}`, "下一页") : "");
    said.replaceChildren(typeof text === "string" ? notice(text) : text || "");
  };
  await draw();
  main.append(h("h1", {}, "令牌"), said, listed, await issueSection(draw));
}

// YYYY-MM-DD HH:MM in Shanghai, dates written as everywhere else in the console.
function issuedAt(iso) {
  return new Date(iso).toLocaleString("sv-SE", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

async function issueSection(draw) {
  const outlet = h("div", { "aria-live": "polite" });
  const chooser = await scopeChooser("组织者令牌的权限范围");
  const scope = chooser.element;
  const member = field("志愿者编号（member_id）", { name: "member_id", autocomplete: "off" }, "志愿者令牌绑定的志愿者");
  const role = field("角色", { tag: "select", name: "role", value: "organizer", options: Object.entries(ROLES) });
  const show = () => {
    const chosen = role.querySelector("select").value;
    scope.hidden = chosen !== "organizer";
    member.hidden = chosen !== "member";
  };
  role.querySelector("select").addEventListener("change", show);
  show();
  const form = h("form", {},
    h("div", { class: "categories" }, role, field("标签", { name: "label", autocomplete: "off" }, "例如用途或持有人")),
    scope, member, h("button", { type: "submit" }, "签发令牌"));
  submitter(form, outlet, async (data) => {
    const chosen = data.get("role");
    const body = { role: chosen, label: data.get("label") || undefined };
    if (chosen === "organizer") Object.assign(body, scopeBody(data));
    if (chosen === "member") body.member_id = data.get("member_id").trim();
    const issued = await post("/v1/tokens", body);
    form.reset();
    chooser.clear();
    show();
    await draw(secret(issued));
  });
  return h("section", { class: "card" }, h("h2", {}, "签发令牌"), form, outlet);
}

// The secret, shown this once: the API keeps only its hash.
function secret(issued) {
  const copied = h("span", { role: "status" });
  const shown = h("input", { id: "issued-token", readonly: true, value: issued.token, class: "secret" });
  const copy = h("button", { type: "button" }, "复制令牌");
  copy.addEventListener("click", async () => {
    shown.select();
    try {
      await navigator.clipboard.writeText(issued.token);
      copied.textContent = "已复制。";
    } catch {
      copied.textContent = "浏览器不允许复制，请按 Ctrl+C 复制已选中的令牌。";
    }
  });
  return h("section", { class: "card issued" },
    notice(`已签发令牌${issued.label ? `“${issued.label}”` : ""}。令牌只显示这一次，请立即复制并妥善保存。`),
    h("div", { class: "field" }, h("label", { for: "issued-token" }, "新令牌"), shown),
    h("p", { class: "actions" }, copy, copied));
}
