"""The verbs that open a unit's own action ("开展……", "新建……", "破获……"): one list for the places that ask
whether a phrase says what the unit did — a narrative paste cut into results (facts/parse.py) and a heading
made of a fact's own words (writing/template.py)."""

from __future__ import annotations

import re

ACTION_VERBS: tuple[str, ...] = (
    # doing and holding
    "开展", "新开展", "组织", "举办", "承办", "召开", "实施", "推进", "推行", "推广", "落实", "深化", "加强", "完善", "培育",
    "评选", "表彰", "争创", "创建", "打造", "上线", "开通", "开设", "设立", "建立", "制定", "出台",
    # building and buying
    "完成", "建成", "新建成", "新建", "建设", "新增", "新购", "购置", "改造", "修建", "安装", "维修", "整治", "清理",
    # serving and caring
    "接待", "受理", "办理", "处理", "服务", "帮助", "提供", "走访", "慰问", "发放", "救助", "资助", "筹集", "募集",
    "捐赠", "培训", "引进", "发展", "新发展", "新登记", "签订", "签约", "调解", "化解", "解决",
    # enforcing and checking
    "查办", "查处", "破获", "侦破", "抓获", "打击", "检查", "抽检", "检验",
    # results
    "获得", "荣获", "出版", "发表", "参加", "参与",
)


def action_alternation(exclude: tuple[str, ...] = ()) -> str:
    """The verbs as one regex alternation, longest first (so 新建成 wins over 新建)."""
    verbs = sorted((v for v in ACTION_VERBS if v not in exclude), key=len, reverse=True)
    return "|".join(re.escape(v) for v in verbs)
