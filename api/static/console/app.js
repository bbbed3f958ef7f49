// The console: one page per address under /console, drawn from the public API.
import { ApiError, session } from "./api.js";
import { clear, h, link, notice } from "./dom.js";

const PAGES = [
  [/^\/console\/signin$/, "signin", "登录"],
  [/^\/console\/?$/, "dashboard", "概览"],
  [/^\/console\/activities\/new$/, "activity-new", "安排活动"],
  [/^\/console\/activities\/([\w-]+)$/, "activity", "活动"],
  [/^\/console\/activities$/, "activities", "活动"],
  [/^\/console\/members\/import$/, "roster", "导入花名册"],
  [/^\/console\/members\/merge$/, "merge", "合并重复记录"],
  [/^\/console\/members\/([\w-]+)$/, "member", "志愿者"],
  [/^\/console\/members$/, "members", "志愿者"],
  [/^\/console\/teams\/([\w-]+)$/, "team", "志愿服务队"],
  [/^\/console\/teams$/, "teams", "志愿服务队"],
  [/^\/console\/claims$/, "claims", "工时申报"],
  [/^\/console\/rewards$/, "rewards", "积分兑换"],
  [/^\/console\/reports\/([\w-]+)$/, "report", "报表"],
  [/^\/console\/reports$/, "reports", "报表"],
  [/^\/console\/ledger$/, "ledger", "台账"],
  [/^\/console\/rules$/, "rules", "积分规则"],
  [/^\/console\/me$/, "me", "我的积分"],
  [/^\/console\/me\/statement$/, "my-statement", "积分明细"],
  [/^\/console\/me\/activities$/, "my-activities", "活动"],
  [/^\/console\/me\/rewards$/, "my-rewards", "积分兑换"],
  [/^\/console\/me\/certificates$/, "my-certificates", "证明与工时"],
  [/^\/console\/checkin$/, "checkin", "扫码签到"],
  [/^\/console\/grids$/, "grids", "网格"],
  [/^\/console\/units\/([\w-]+)$/, "unit", "单位双报到"],
  [/^\/console\/units$/, "units", "单位"],
  [/^\/console\/organisers$/, "organisers", "组织者账号"],
  [/^\/console\/tokens$/, "tokens", "令牌"],
];
// The pages of a member's own: the only ones a member's sign-in opens.
const MINE = new Set(["me", "my-statement", "my-activities", "my-rewards", "my-certificates", "checkin"]);
// The pages whose every call the API allows administrators only.
const ADMINS = new Set(["units", "unit", "organisers", "tokens"]);

const NAV = [
  ["/console/", "概览", ["admin", "organizer"]],
  ["/console/activities", "活动", ["admin", "organizer"]],
  ["/console/members", "志愿者", ["admin", "organizer"]],
  ["/console/teams", "队伍", ["admin", "organizer"]],
  ["/console/claims", "工时申报", ["admin", "organizer"]],
  ["/console/rewards", "积分兑换", ["admin", "organizer"]],
  ["/console/reports", "报表", ["admin", "organizer"]],
  ["/console/ledger", "台账", ["admin", "organizer"]],
  ["/console/rules", "积分规则", ["admin", "organizer"]],
  ["/console/grids", "网格", ["admin", "organizer"]],
  ["/console/units", "单位", ["admin"]],
  ["/console/organisers", "组织者账号", ["admin"]],
  ["/console/tokens", "令牌", ["admin"]],
  ["/console/me", "我的积分", ["member"]],
  ["/console/me/statement", "明细", ["member"]],
  ["/console/me/activities", "活动", ["member"]],
  ["/console/me/rewards", "兑换", ["member"]],
  ["/console/me/certificates", "证明", ["member"]],
];

function header(current) {
  const top = clear(document.getElementById("top"));
  const scope = session.scope;
  const organiser = scope && scope.role !== "member";
  const brand = h("a", { class: "brand", href: organiser ? "/console/" : "/console/me" }, organiser ? "志愿积分 · 组织者工作台" : "志愿积分");
  if (!scope) return top.append(brand);
  const params = new URLSearchParams(location.search);
  const community = params.get("community") || session.community;
  session.community = params.get("community");
  const who = scope.role === "admin" ? "管理员"
    : scope.role === "organizer" ? `组织者：${scope.places.map((p) => p.name || p.id).join("、")}` : "志愿者";
  const items = NAV.filter(([, , roles]) => roles.includes(scope.role)).map(([href, text]) => {
    const target = community && href !== "/console/" ? `${href}?community=${encodeURIComponent(community)}` : href;
    const here = current === href || (href !== "/console/" && href !== "/console/me" && location.pathname.startsWith(href));
    return h("li", {}, link(target, text, { "aria-current": here ? "page" : undefined }));
  });
  const signOut = h("button", { type: "button", class: "link", onclick: async () => {
    await session.signOut();
    location.assign("/console/signin");
  } }, "退出");
  top.append(brand, h("p", { class: "who" }, who, " ", signOut),
    h("nav", { "aria-label": "主菜单" }, h("ul", {}, items)));
}

async function route() {
  const path = location.pathname;
  const found = PAGES.find(([pattern]) => pattern.test(path));
  const main = clear(document.getElementById("main"));
  if (!found) {
    header();
    main.append(h("h1", {}, "页面不存在"), link("/console/", "返回概览"));
    return;
  }
  const [pattern, name, title] = found;
  if (name !== "signin" && !session.token) {
    location.replace(`/console/signin?next=${encodeURIComponent(path + location.search)}`);
    return;
  }
  document.title = `${title} · 志愿积分`;
  header(path === "/console" ? "/console/" : path);
  const member = session.scope && session.scope.role === "member";
  if (member && name !== "signin" && !MINE.has(name)) {
    location.replace("/console/me");
    return;
  }
  if (!member && MINE.has(name) && session.scope) {
    main.append(h("h1", {}, title), notice("这是志愿者本人的页面，请用志愿者的手机号登录。", "error"));
    return;
  }
  if (ADMINS.has(name) && session.scope && session.scope.role !== "admin") {
    main.append(h("h1", {}, title), notice("这个页面只对管理员开放：组织者的令牌不能管理单位、组织者账号和令牌。", "error"));
    return;
  }
  const module = await import(`./pages/${name}.js`);
  const args = path.match(pattern).slice(1);
  try {
    await module.render(main, new URLSearchParams(location.search), ...args);
  } catch (error) {
    main.append(notice(error instanceof ApiError ? `${error.message}（${error.problem.code || error.status}）` : String(error), "error"));
    if (!(error instanceof ApiError)) throw error;
  }
}

route();
