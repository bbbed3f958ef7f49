"""WeChat mini-program sign-in (微信小程序登录): the login code a mini-program
gets from ``wx.login`` exchanged with WeChat's ``jscode2session`` for the
user's openid.

WeChat answers ``{openid, session_key, unionid?}`` or ``{errcode, errmsg}``.
A code WeChat refuses (40029 invalid, 40163 already used, 40226 a blocked
user) is the client's to fix; anything else (a busy WeChat, -1; the
deployment's own app id or secret refused, 40013 or 40125; no answer in time)
is WeChat not being usable now."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

log = logging.getLogger("vpoints.wechat")

WECHAT_API = "https://api.weixin.qq.com"
TIMEOUT_SECONDS = 5.0
CODE_REFUSED = {40029, 40163, 40226}


class WeChatCodeInvalid(Exception):
    """Raised when WeChat refuses the login code."""


class WeChatUnavailable(Exception):
    """Raised when WeChat cannot be asked now, or is not set up here."""


class WeChat:
    def __init__(self, app_id: str | None, secret: str | None, base: str) -> None:
        self.app_id = app_id
        self.secret = secret
        self.base = base.rstrip("/")
        self.timeout = TIMEOUT_SECONDS

    def openid(self, code: str) -> str:
        """The openid of the user whose mini-program made the login code."""
        if not self.app_id or not self.secret:
            raise WeChatUnavailable("本系统未配置微信小程序")
        query = urllib.parse.urlencode(
            {
                "appid": self.app_id,
                "secret": self.secret,
                "js_code": code,
                "grant_type": "authorization_code",
            }
        )
        url = f"{self.base}/sns/jscode2session?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as answer:
                body: Any = json.loads(answer.read())
        except (urllib.error.URLError, OSError, ValueError) as error:
            log.warning("WeChat jscode2session failed: %s", error)
            raise WeChatUnavailable("微信服务暂时不可用") from None
        if not isinstance(body, dict):
            raise WeChatUnavailable("微信服务的回答无法识别")
        errcode = body.get("errcode") or 0
        if errcode in CODE_REFUSED:
            raise WeChatCodeInvalid(f"微信登录码无效（{errcode}）")
        openid = body.get("openid")
        if errcode or not isinstance(openid, str) or not openid:
            log.warning("WeChat jscode2session answered %s", body.get("errcode"))
            raise WeChatUnavailable("微信服务暂时不可用")
        return openid
