"""The words of the schedule and session pages (kept beside them; merged into the page's ``t``)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "live.schedule": {"zh": "直播课", "en": "Live sessions"},
    "live.intro": {"zh": "远程继续教育直播。时间按各场次所在时区给出；页面按您设备的时钟显示状态。",
                   "en": "Remote continuing-education sessions. Times are given in each session's time zone; "
                         "the page shows the status from your device's clock."},
    "live.now": {"zh": "正在直播", "en": "Live now"},
    "live.upcoming": {"zh": "即将开始", "en": "Upcoming"},
    "live.past": {"zh": "往期直播", "en": "Past sessions"},
    "live.none": {"zh": "暂无", "en": "None"},
    "live.status.upcoming": {"zh": "尚未开始", "en": "Not started yet"},
    "live.status.live": {"zh": "直播中", "en": "Live"},
    "live.status.past": {"zh": "已结束 — 回放即将上线", "en": "Ended — replay coming"},
    "live.status.replay": {"zh": "已结束 — 可观看回放", "en": "Ended — watch the replay"},
    "live.units": {"zh": "天|小时|分钟|秒", "en": "d|h|min|s"},
    "live.as_of": {"zh": "未启用 JavaScript：状态按网页生成时（{date}）显示，请以上面的时间为准。",
                   "en": "Without JavaScript the status is as of when the page was built ({date}); go by the "
                         "time above."},
    "live.when": {"zh": "时间", "en": "When"},
    "live.lecturers": {"zh": "讲者", "en": "Lecturers"},
    "live.registration": {"zh": "报名", "en": "Registration"},
    "live.related": {"zh": "相关手册内容", "en": "Related manual content"},
    "live.add_to_calendar": {"zh": "添加到日历（.ics）", "en": "Add to calendar (.ics)"},
    "live.subscribe": {"zh": "订阅全部直播课（日历）", "en": "Subscribe to all sessions (calendar)"},
    "live.watch": {"zh": "观看直播", "en": "Watch live"},
    "live.badge.live": {"zh": "直播中", "en": "live"},
    "live.badge.ended": {"zh": "已结束", "en": "ended"},
    "live.open_stream": {"zh": "直接打开直播流（HLS）", "en": "Open the stream (HLS)"},
    "live.minutes": {"zh": "{n} 分钟", "en": "{n} min"},
    "live.zone.Asia/Shanghai": {"zh": "北京时间", "en": "China Standard Time"},
}


def words(lang: str) -> dict[str, str]:
    return {key: entry.get(lang) or entry["zh"] for key, entry in WORDS.items()}
