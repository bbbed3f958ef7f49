import { get, post } from "../api.js";
import { field, h, notice, table } from "../dom.js";
import { community, submitter } from "./common.js";
import { memberSearch } from "./picker.js";
import { redemptionsSection } from "./redemptions.js";

export async function render(main, params) {
  const place = await community(main, params, "积分兑换", "/console/rewards");
  if (!place) return;
  const rewards = (await get(`/v1/communities/${place.id}/rewards`, { limit: 500 })).items;
  let listed = await redemptionsSection(place, params);
  // A redemption just made shows in the list at once.
  const relist = async () => {
    const fresh = await redemptionsSection(place, params);
    listed.replaceWith(fresh);
    listed = fresh;
  };
  main.append(
    h("h1", {}, `${place.name} · 积分兑换`),
    table("兑换物品", [["name", "物品"], ["points", "所需积分"], ["stock", "库存"], [(r) => restock(r), "补充库存"]], rewards, "还没有兑换物品"),
    redeemSection(place, rewards, relist), listed, createSection(place),
  );
}

function restock(reward) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field(`${reward.name} 补充数量`, { type: "number", name: "quantity", min: 1, value: 10, required: true }),
    h("button", { type: "submit", class: "secondary" }, "补充"));
  submitter(form, outlet, async (data) => {
    await post(`/v1/rewards/${reward.id}/restock`, { quantity: Number(data.get("quantity")) });
    location.reload();
  });
  return h("div", {}, form, outlet);
}

function redeemSection(place, rewards, relist) {
  const outlet = h("div", { "aria-live": "polite" });
  const chosen = h("input", { id: "redeem-member", name: "member", readonly: true, required: true });
  const chosenId = h("input", { type: "hidden", name: "member_id" });
  const form = h("form", { class: "inline" },
    h("div", { class: "field" }, h("label", { for: "redeem-member" }, "兑换的志愿者"), chosen), chosenId,
    field("物品", { tag: "select", name: "reward_id", required: true, options: rewards.map((r) => [r.id, `${r.name}（${r.points} 分，库存 ${r.stock}）`]) }),
    field("数量", { type: "number", name: "quantity", min: 1, value: 1, required: true }),
    h("button", { type: "submit" }, "兑换"));
  submitter(form, outlet, async (data) => {
    if (!data.get("member_id")) return notice("请先查找并选择志愿者。", "error");
    const done = await post(`/v1/members/${data.get("member_id")}/redemptions`, { reward_id: data.get("reward_id"), quantity: Number(data.get("quantity")) });
    await relist();
    return notice(`兑换成功，用去 ${done.points} 分，余额 ${done.balance} 分。兑换单号：${done.id}`);
  });
  const search = memberSearch(place.id, "查找志愿者", (m) => { chosen.value = m.name; chosenId.value = m.id; });
  return h("section", { class: "card" }, h("h2", {}, "兑换"), search, form, outlet);
}

function createSection(place) {
  const outlet = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "inline" },
    field("物品名称", { name: "name", required: true }),
    field("所需积分", { type: "number", name: "points", min: 1, required: true }),
    field("初始库存", { type: "number", name: "stock", min: 0, value: 0, required: true }),
    h("button", { type: "submit" }, "上架"));
  submitter(form, outlet, async (data) => {
    await post(`/v1/communities/${place.id}/rewards`, { name: data.get("name"), points: data.get("points"), stock: Number(data.get("stock")) });
    location.reload();
  });
  return h("section", { class: "card" }, h("h2", {}, "上架兑换物品"), form, outlet);
}
