import { ApiError, get, open, session } from "../api.js";
import { field, h, notice } from "../dom.js";

// Where a sign-in goes next: the page asked for, else the holder's own start.
function destination(params, role) {
  const next = params.get("next") || "";
  if (next.startsWith("/console") && !next.startsWith("/console/signin")) return next;
  return role === "member" ? "/console/me" : "/console/";
}

function say(outlet, text, kind) {
  outlet.replaceChildren(notice(text, kind));
}

function phoneForm(params, outlet) {
  const phone = field("手机号", { name: "phone", type: "tel", inputmode: "tel", autocomplete: "tel", required: true, maxlength: 20 });
  const code = field("验证码", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", required: true, maxlength: 6, pattern: "\\d{6}" },
    "六位数字，5 分钟内有效。");
  const role = field("身份", { tag: "select", name: "as", options: [["member", "志愿者"], ["organizer", "组织者"]] });
  const ask = h("button", { type: "button", class: "secondary" }, "获取验证码");
  const form = h("form", { class: "card narrow", "aria-label": "手机验证码登录" },
    phone, h("div", { class: "actions" }, ask), code, role, h("button", { type: "submit" }, "登录"));
  const input = (name) => form.querySelector(`[name=${name}]`);

  ask.addEventListener("click", async () => {
    const number = input("phone").value.trim();
    if (!number) {
      say(outlet, "请先填写手机号。", "error");
      input("phone").focus();
      return;
    }
    ask.disabled = true;
    try {
      const answer = await open("/v1/auth/sms-code", { phone: number });
      say(outlet, "验证码已发送，请查看短信。", "ok");
      countdown(ask, answer.retry_after);
      input("code").focus();
    } catch (error) {
      const wait = error instanceof ApiError && error.status === 429;
      say(outlet, wait ? "请求过于频繁，请稍后再试。" : messageOf(error), "error");
      ask.disabled = false;
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    outlet.replaceChildren();
    try {
      const answer = await open("/v1/auth/sms-sign-in", {
        phone: String(data.get("phone")).trim(), code: String(data.get("code")).trim(), as: data.get("as"),
      });
      const scope = await get("/v1/me/token", {}, { token: answer.access_token });
      session.begin(answer, scope);
      location.assign(destination(params, scope.role));
    } catch (error) {
      const refused = error instanceof ApiError && error.status === 401;
      say(outlet, refused ? "验证码错误或已失效，请重新获取。" : messageOf(error), "error");
    }
  });
  return form;
}

function countdown(button, seconds) {
  let left = seconds;
  const tick = () => {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = "获取验证码";
      return;
    }
    button.textContent = `${left} 秒后可重新获取`;
    left -= 1;
    setTimeout(tick, 1000);
  };
  tick();
}

function messageOf(error) {
  return error instanceof ApiError ? `${error.message}（${error.problem.code || error.status}）` : String(error);
}

function tokenForm(params, outlet) {
  const form = h("form", {},
    field("访问令牌", { name: "token", type: "password", required: true, autocomplete: "current-password" },
      "管理员和机器客户端使用的令牌（vpoints token create）；只保存在本标签页，关闭即清除。"),
    h("button", { type: "submit" }, "用令牌登录"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = new FormData(form).get("token").trim();
    outlet.replaceChildren();
    try {
      const scope = await get("/v1/me/token", {}, { token });
      session.signIn(token, scope);
      location.assign(destination(params, scope.role));
    } catch (error) {
      say(outlet, error.status === 401 ? "令牌无效或已撤销。" : error.message, "error");
    }
  });
  return h("details", { class: "card narrow" }, h("summary", {}, "使用令牌登录（管理员）"), form);
}

export async function render(main, params) {
  const outlet = h("div", { "aria-live": "polite" });
  main.append(h("h1", {}, "登录"),
    h("p", { class: "muted" }, "志愿者和组织者用登记的手机号接收验证码登录。"),
    phoneForm(params, outlet), outlet, tokenForm(params, outlet));
  main.querySelector("input[name=phone]").focus();
}
