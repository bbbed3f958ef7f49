// Points rules (积分管理办法): the rule sets, a draft written here, what it
// would change (what-if) before it is published, and publishing it.
import { all, get, post, session } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { children } from "../scope.js";
import { pairedBars } from "./charts.js";
import { problem, submitter, today, years } from "./common.js";

const COMPARED = [
  ["participations", "参与人次"], ["points", "积分"], ["avg_annual_points", "人均年积分"],
  ["members_reported_avg_annual_points", "双报到党员人均年积分"],
];
const STATUS = { draft: "草稿", published: "已发布" };

// The districts this sign-in may write rules for; "" is the deployment's own.
async function owners() {
  const scope = session.scope;
  if (scope.role === "admin") {
    return [["", "整个部署（全市通用）"], ...(await children("deployment", "")).map((d) => [d.id, d.name])];
  }
  return scope.places.filter((p) => p.kind === "district").map((p) => [p.id, p.name || p.id]);
}

function categoryRow(index) {
  return h("fieldset", { class: "category" },
    h("legend", {}, `类别 ${index + 1}`),
    field("代码", { name: "code", maxlength: 50, placeholder: "如：助老" }),
    field("名称", { name: "name", maxlength: 100, placeholder: "如：助老服务" }),
    field("每小时积分", { name: "rate", inputmode: "decimal", placeholder: "如：3" }),
    field("每人每年最多计（积分，可选）", { name: "year_cap", inputmode: "decimal" }));
}

function draftForm(places, outlet) {
  const rows = h("div", { class: "categories" }, [0, 1].map(categoryRow));
  const more = h("button", { type: "button", class: "secondary" }, "再加一类");
  more.addEventListener("click", () => rows.append(categoryRow(rows.children.length)));
  const form = h("form", { class: "card" },
    field("所属", { tag: "select", name: "district_id", options: places }),
    field("规则名称", { name: "name", required: true, maxlength: 200, placeholder: "如：2027 年志愿服务积分管理办法" }),
    rows, more,
    field("每次活动最多计（小时，可选）", { name: "hours_per_activity", inputmode: "decimal" }),
    field("每人每天最多计（积分，可选）", { name: "points_per_member_day", inputmode: "decimal" }),
    h("button", { type: "submit" }, "保存草稿并测算"));
  return submitter(form, outlet, async (data) => {
    const categories = [];
    const yearCaps = {};
    for (const row of rows.children) {
      const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
      if (!value("code")) continue;
      categories.push({ code: value("code"), name: value("name") || value("code"), points_per_hour: value("rate") });
      if (value("year_cap")) yearCaps[value("code")] = value("year_cap");
    }
    const caps = {};
    for (const key of ["hours_per_activity", "points_per_member_day"]) {
      if (data.get(key)) caps[key] = data.get(key).trim();
    }
    if (Object.keys(yearCaps).length) caps.points_per_member_year_by_category = yearCaps;
    const body = { name: data.get("name"), categories, caps };
    if (data.get("district_id")) body.district_id = data.get("district_id");
    const drafted = await post("/v1/rule-sets", body);
    location.assign(`/console/rules?rule_set=${drafted.id}`);
  });
}

function describe(ruleSet) {
  const caps = ruleSet.caps || {};
  const limits = [];
  if (caps.hours_per_activity) limits.push(`每次活动最多计 ${caps.hours_per_activity} 小时`);
  if (caps.points_per_member_day) limits.push(`每人每天最多计 ${caps.points_per_member_day} 积分`);
  for (const [code, points] of Object.entries(caps.points_per_member_year_by_category || {})) {
    limits.push(`“${code}”类每人每年最多计 ${points} 积分`);
  }
  return [
    table("服务类别", [["code", "代码"], ["name", "名称"], ["points_per_hour", "每小时积分"]], ruleSet.categories),
    h("p", {}, limits.length ? `封顶（依次计算）：${limits.join("；")}。` : "不封顶。"),
  ];
}

async function whatIf(ruleSet, year, outlet) {
  outlet.replaceChildren(h("p", { class: "muted" }, "正在重放今年的参加记录测算……"));
  try {
    const found = await get(`/v1/rule-sets/${ruleSet.id}/what-if`, { year });
    const rows = COMPARED.filter(([key]) => key in found.current)
      .map(([key, label]) => ({ label, current: found.current[key], draft: found.draft[key] }));
    const names = found.by_community.map((c) => c.name || c.community_id.slice(0, 8));
    outlet.replaceChildren(
      notice(`按这份规则重算 ${found.year} 年（截至 ${found.current.as_of}）：积分有变化的志愿者 ${found.members_changed} 人。只是测算，什么都没有记录。`),
      table("现行规则与这份规则", [["label", "项目"], ["current", "现行规则"], ["draft", "这份规则"]], rows),
      found.by_community.length
        ? pairedBars("各社区活动的积分", names, [
          ["现行规则", found.by_community.map((c) => Number(c.current_points)), "#c0392b"],
          ["这份规则", found.by_community.map((c) => Number(c.draft_points)), "#2e86c1"],
        ])
        : null,
      table("变化最大的志愿者（至多 20 人）", [
        [(m) => m.name || m.member_id, "志愿者"], ["current_points", "现行年度积分"], ["draft_points", "这份规则下"],
      ], found.largest_changes, "没有人的积分会变"),
    );
  } catch (error) {
    outlet.replaceChildren(problem(error));
  }
}

function publishForm(ruleSet, outlet) {
  const form = h("form", { class: "card narrow" },
    field("施行日期", { type: "date", name: "effective_from", value: today(), min: `${today().slice(0, 4)}-01-01`, required: true },
      "可早于今天（不早于今年 1 月 1 日）：从那天起的参加记录重新计分。"),
    h("button", { type: "submit" }, "发布"));
  return submitter(form, outlet, async (data) => {
    await post(`/v1/rule-sets/${ruleSet.id}/publish`, { effective_from: data.get("effective_from") });
    location.assign(`/console/rules?rule_set=${ruleSet.id}`);
  });
}

async function shown(ruleSet, params, districtNames) {
  const owner = ruleSet.district_id ? districtNames.get(ruleSet.district_id) || "区县" : "整个部署";
  const section = h("section", { class: "card", "aria-labelledby": "rule-set-title" },
    h("h2", { id: "rule-set-title" }, ruleSet.name),
    h("p", { class: "muted" }, `${owner} · ${STATUS[ruleSet.status]}`,
      ruleSet.version ? ` · 第 ${ruleSet.version} 版 · 自 ${ruleSet.effective_from} 起施行` : ""),
    describe(ruleSet));
  if (ruleSet.status !== "draft") {
    return [notice(`已发布为第 ${ruleSet.version} 版，自 ${ruleSet.effective_from} 起施行；发布时重新计分 ${ruleSet.rerated ?? 0} 条参加记录。`), section];
  }
  const year = params.get("year") || years()[0];
  const results = h("div", { "aria-live": "polite" });
  const picker = h("form", { class: "filters", method: "get", action: "/console/rules" },
    h("input", { type: "hidden", name: "rule_set", value: ruleSet.id }),
    field("测算年度", { tag: "select", name: "year", options: years().map((y) => [y, `${y} 年`]), value: year }),
    h("button", { type: "submit", class: "secondary" }, "重新测算"));
  const published = h("div", { "aria-live": "polite" });
  whatIf(ruleSet, year, results);
  return [section, h("h2", {}, "模拟测算"), picker, results, h("h2", {}, "发布"), publishForm(ruleSet, published), published];
}

export async function render(main, params) {
  const places = await owners();
  const districtNames = new Map(places.filter(([id]) => id));
  const ruleSets = await all("/v1/rule-sets");
  const chosen = ruleSets.find((r) => r.id === params.get("rule_set"));
  const outlet = h("div", { "aria-live": "polite" });
  main.append(
    h("h1", {}, "积分规则（积分管理办法）"),
    h("p", { class: "muted" }, "规则按类别定每小时积分，可封顶；活动日期当天施行的规则为那次活动计分。发布前可先测算：按草案重放今年的参加记录，看数字和每个人的变化。"),
  );
  if (chosen) main.append(...(await shown(chosen, params, districtNames)));
  else if (params.get("rule_set")) main.append(notice("找不到这份规则。", "error"));
  main.append(table("全部规则", [
    [(r) => link(`/console/rules?rule_set=${r.id}`, r.name), "名称"],
    [(r) => (r.district_id ? districtNames.get(r.district_id) || "区县" : "整个部署"), "所属"],
    [(r) => STATUS[r.status], "状态"], [(r) => r.version ?? "—", "版本"], [(r) => r.effective_from ?? "—", "施行日期"],
  ], ruleSets, "还没有规则：各活动按自身规则计分"));
  main.append(h("h2", {}, "起草新规则"));
  main.append(places.length ? draftForm(places, outlet) : notice("积分规则由区县（或管理员）制定；你的范围内没有区县。", "error"), outlet);
}
