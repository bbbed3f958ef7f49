import { ApiError, post } from "../api.js";
import { h, link, notice } from "../dom.js";
import { shanghai } from "./common.js";

const REASONS = {
  code_expired: "二维码已过期，请扫描现场最新的二维码。",
  wrong_activity: "这是另一个活动的二维码。",
  invalid_checkin_code: "二维码无效。",
  checkin_not_open: "签到在活动开始前 30 分钟开放，活动结束时关闭。",
  already_checked_out: "你已经签退过了。",
  activity_cancelled: "活动已取消。",
};

// The phone's position, if it gives one within a few seconds.
function position() {
  if (!navigator.geolocation) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => resolve(undefined),
      { timeout: 5000, maximumAge: 60000 },
    );
  });
}

export async function render(main, params) {
  const activity = params.get("activity") || "";
  const code = params.get("code") || "";
  main.append(h("h1", {}, "扫码签到"));
  if (!/^[\w-]{36}$/.test(activity) || !code) {
    main.append(notice("请用手机扫描活动现场的二维码。", "error"));
    return;
  }
  const body = { code };
  const location = await position();
  if (location) body.location = location;
  try {
    const scanned = await post(`/v1/activities/${activity}/checkins`, body);
    const what = scanned.kind === "in" ? "签到成功" : "签退成功";
    main.append(h("p", { class: "notice ok big", role: "status" }, `${what}：${shanghai(scanned.at)}`),
      h("p", { class: "muted" }, scanned.kind === "in" ? "离开时请再扫一次现场的二维码签退。" : "组织者确认后，时长和积分会记入你的明细。"),
      link("/console/me", "查看我的积分"));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    main.append(notice(REASONS[error.problem.code] || error.message, "error"), link("/console/me", "查看我的积分"));
  }
}
