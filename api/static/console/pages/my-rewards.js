import { get, post } from "../api.js";
import { h, notice, table } from "../dom.js";
import { me } from "./mine.js";

export async function render(main) {
  const member = await me();
  const [rewards, account] = await Promise.all([
    get(`/v1/communities/${member.community_id}/rewards`),
    get(`/v1/members/${member.id}/account`),
  ]);
  const balance = h("strong", {}, account.balance);
  main.append(
    h("h1", {}, "积分兑换"),
    h("p", {}, "可兑换积分：", balance),
    table("本社区的奖品", [
      ["name", "奖品"], ["points", "所需积分"], ["stock", "库存"],
      [(r) => redeem(member.id, r, balance), "兑换"],
    ], rewards.items, "暂无可兑换的奖品"),
  );
}

function redeem(memberId, reward, balance) {
  const outlet = h("span", { "aria-live": "polite" });
  const button = h("button", { type: "button", disabled: reward.stock < 1 }, "兑换");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const done = await post(`/v1/members/${memberId}/redemptions`, { reward_id: reward.id });
      balance.textContent = done.balance;
      outlet.replaceChildren(notice(`已兑换，剩余 ${done.balance} 分`));
    } catch (error) {
      outlet.replaceChildren(notice(error.problem && error.problem.code === "insufficient_points" ? "积分不足" : error.message, "error"));
    } finally {
      button.disabled = false;
    }
  });
  return h("span", {}, button, outlet);
}
