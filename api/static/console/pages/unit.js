// A unit's double reports (双报到) to communities: the ones in effect, each
// ended from a date, a new one begun from a date, and its members' reports.
import { get, post } from "../api.js";
import { field, h, link, notice, table } from "../dom.js";
import { communityName } from "../scope.js";
import { submitter, today } from "./common.js";
import { placeChooser } from "./places.js";

export async function render(main, _params, unitId) {
  const reports = h("div");
  const said = h("div", { "aria-live": "polite" });
  const heading = h("h1", {}, "单位双报到");
  const start = await startSection(unitId, (text) => done(text));
  const draw = async () => {
    const shown = await get(`/v1/units/${unitId}/double-reports`);
    heading.textContent = `${shown.name || "单位"} · 双报到`;
    const ids = new Set([...shown.communities, ...shown.members].map((r) => r.community_id));
    const named = new Map(await Promise.all([...ids].map(async (id) => [id, await communityName(id)])));
    reports.replaceChildren(
      table("正在报到的社区", [
        [(r) => named.get(r.community_id), "社区"],
        ["reported_on", "报到日期"],
        [(r) => endForm(unitId, r, named, done), "结束报到"],
      ], shown.communities, "还没有报到的社区"),
      start,
      table("本单位党员的双报到", [
        ["name", "姓名"], [(m) => named.get(m.community_id), "社区"], ["reported_on", "报到日期"],
      ], shown.members, "本单位党员还没有报到"));
  };
  // After a change the tables are drawn again and what was done is said above them.
  const done = async (text) => {
    await draw();
    said.replaceChildren(notice(text));
  };
  await draw();
  main.append(h("p", {}, link("/console/units", "← 全部单位")), heading, said, reports);
}

function endForm(unitId, report, named, done) {
  const outlet = h("div", { "aria-live": "polite" });
  const name = named.get(report.community_id);
  const form = h("form", { class: "inline" },
    field(`${name} 结束日期`, { type: "date", name: "ended_on", value: today(), max: today(), required: true }),
    h("button", { type: "submit", class: "secondary" }, "结束报到"));
  submitter(form, outlet, async (data) => {
    const ended = await post(`/v1/units/${unitId}/double-report/${report.community_id}/end`, { ended_on: data.get("ended_on") });
    await done(`已结束向${name}的报到（${ended.ended_on}）。`);
  });
  return h("div", {}, form, outlet);
}

async function startSection(unitId, done) {
  const outlet = h("div", { "aria-live": "polite" });
  const chooser = await placeChooser({ legend: "报到社区", names: { community: "community_id" }, single: true });
  const form = h("form", {},
    chooser.element,
    h("div", { class: "inline" },
      field("报到日期", { type: "date", name: "reported_on", value: today(), max: today(), required: true }),
      h("button", { type: "submit" }, "登记双报到")));
  submitter(form, outlet, async (data) => {
    const [community] = chooser.chosen();
    if (!community) return notice("请先选择报到的社区。", "error");
    const reported = await post(`/v1/units/${unitId}/double-report`, { community_id: community.id, reported_on: data.get("reported_on") });
    chooser.clear();
    await done(`已登记向${community.name}的报到（${reported.reported_on}）。`);
  });
  return h("section", { class: "card" }, h("h2", {}, "登记双报到"), form, outlet);
}
