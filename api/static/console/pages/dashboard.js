import { all, get } from "../api.js";
import { append, field, figures, h, link, notice, table } from "../dom.js";
import { KINDS, children, communities, homePlaces, statsPath } from "../scope.js";
import { bars } from "./charts.js";
import { today, years } from "./common.js";

const FIGURES = [
  ["teams", "志愿服务队"], ["volunteers", "志愿者"], ["activities", "开展活动"], ["participations", "参与人次"],
  ["hours", "服务时长（小时）"], ["points", "积分"], ["units_reported", "双报到单位"],
  ["members_reported", "双报到党员"], ["avg_annual_points", "人均年积分"],
  ["members_reported_participations", "双报到党员参与人次"],
  ["members_reported_avg_annual_points", "双报到党员人均年积分"],
];

export async function render(main, params) {
  const home = homePlaces();
  const kind = params.get("kind") || home[0]?.kind || "deployment";
  const id = params.get("id") || (params.get("kind") ? "" : home[0]?.id || "");
  const year = params.get("year") || years()[0];
  const asOf = params.get("as_of") || "";
  const query = { year, as_of: asOf || undefined };
  const stats = await get(statsPath(kind, id), query);
  const below = await children(kind, id);
  const name = home.find((p) => p.id === id)?.name || params.get("name") || KINDS[kind];

  const picker = h("form", { class: "filters", method: "get", action: "/console/" },
    h("input", { type: "hidden", name: "kind", value: kind }),
    h("input", { type: "hidden", name: "id", value: id }),
    h("input", { type: "hidden", name: "name", value: name }),
    field("年度", { tag: "select", name: "year", options: years().map((y) => [y, `${y} 年`]), value: year }),
    field("截至日期（可选）", { type: "date", name: "as_of", value: asOf, max: today() }),
    h("button", { type: "submit" }, "查看"));

  append(main, [
    h("h1", {}, `${name} · ${year} 年度数据`),
    home.length > 1 ? h("nav", { "aria-label": "我的范围" }, h("ul", { class: "choices" },
      home.map((p) => h("li", {}, link(`/console/?kind=${p.kind}&id=${p.id}&name=${encodeURIComponent(p.name || "")}`, `${KINDS[p.kind]}：${p.name}`))))) : null,
    picker,
    h("p", { class: "muted" }, asOf ? `截至 ${asOf} 的数据（按业务日期）。` : "当年截至今天、往年截至 12 月 31 日的公开数据。"),
    figures([
      ...(stats.communities !== undefined ? [["社区", stats.communities, "communities"]] : []),
      ...FIGURES.map(([key, label]) => [label, stats[key], key]),
    ]),
  ]);

  const charts = h("div", { class: "charts" });
  main.append(charts);
  if (below.length) {
    const belowStats = await Promise.all(below.map((p) => get(statsPath(p.kind, p.id), query)));
    const rows = below.map((p, i) => ({ ...p, ...belowStats[i] }));
    charts.append(bars(`各${KINDS[below[0].kind]}积分`, rows.map((r) => r.name), rows.map((r) => Number(r.points)), "#c0392b"));
    main.append(table(`下辖${KINDS[below[0].kind]}`, [
      [(r) => link(`/console/?kind=${r.kind}&id=${r.id}&name=${encodeURIComponent(r.name)}&year=${year}${asOf ? `&as_of=${asOf}` : ""}`, r.name), "名称"],
      ["volunteers", "志愿者"], ["participations", "参与人次"], ["points", "积分"], ["avg_annual_points", "人均年积分"],
    ], rows));
  }
  if (kind !== "deployment") {
    const places = kind === "community" ? [{ id }] : await communitiesUnder(kind, id);
    const months = Array(12).fill(0);
    // The chart counts what the figures count: activities up to the date shown.
    const last = asOf && asOf.startsWith(`${year}-`) ? asOf : `${year}-12-31`;
    for (const place of places.slice(0, 60)) {
      const items = await all("/v1/activities", { community_id: place.id, from: `${year}-01-01T00:00:00+08:00`, to: `${last}T23:59:59+08:00` });
      for (const a of items) months[Number(a.date.slice(5, 7)) - 1] += a.attendances;
    }
    const labels = months.map((_, i) => `${i + 1}月`);
    const title = asOf ? `各月参与人次（按活动日期，截至 ${last}）` : "各月参与人次（按活动日期）";
    charts.prepend(bars(title, labels, months, "#d35400"));
    main.append(h("details", {}, h("summary", {}, "各月参与人次数据表"),
      table("各月参与人次", [["month", "月份"], ["count", "人次"]], labels.map((month, i) => ({ month, count: months[i] })))));
  } else if (!below.length) {
    main.append(notice("暂无下辖区县。", "ok"));
  }
}

async function communitiesUnder(kind, id) {
  if (kind === "street") return children("street", id);
  if (kind === "district") {
    const streets = await children("district", id);
    return (await Promise.all(streets.map((s) => children("street", s.id)))).flat();
  }
  return communities();
}
