"""Look of the page: theme (system CJK fonts, nothing fetched from the internet), CSS and the header."""

from __future__ import annotations

from typing import Any

CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
             "PingFang SC", "sans-serif"]

UI_CSS = """
.gradio-container { max-width: 1440px !important; }
#facts-col { background: var(--background-fill-secondary); border-radius: 12px; padding: 12px 14px; }
#facts-col h3, #work-col h3 { margin: 2px 0 6px; }
#status-row { align-items: center; }
#draft-box textarea, #doc-box textarea, #outline-box textarea { font-size: 15px; line-height: 1.85; }
#action-row button { min-width: 108px; }
.hint { color: var(--body-text-color-subdued); font-size: 0.88em; }
footer { display: none !important; }
/* Gradio 6 titles every toast by its level in English ("Warning") and ignores gr.Warning(title=...):
   the title is drawn in Chinese here. */
.toast-title { font-size: 0 !important; }
.toast-title::before { font-size: var(--text-md, 14px); }
.toast-title.warning::before { content: "提示"; }
.toast-title.info::before { content: "消息"; }
.toast-title.success::before { content: "完成"; }
.toast-title.error::before { content: "出错"; }
"""

HEADER_HTML = """
<div class="app-head">
  <div class="app-title">工作总结写作助手</div>
  <div class="app-sub">依据本单位的事实、参照范文的写法起草年度工作总结；每个数字都经过核查，范文里的数字和名称不会被照搬。</div>
  <ol class="steps"><li>填写事实</li><li>生成提纲</li><li>起草各部分</li><li>核查与修改</li><li>导出 Word</li></ol>
</div>
"""

HEADER_CSS = """
.app-head { padding: 14px 18px 10px; border-radius: 12px; color: #fff;
  background: linear-gradient(120deg, #9b1c1c 0%, #c0392b 55%, #d35400 100%); }
.app-title { color: #fff; font-size: 24px; font-weight: 700; letter-spacing: 2px; }
.app-sub { color: #fff; margin-top: 4px; opacity: 0.92; font-size: 14px; }
.steps { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0; padding: 0; list-style: none;
  counter-reset: step; font-size: 13px; }
.steps li { color: #fff; counter-increment: step; opacity: 0.95; }
.steps li::before { content: counter(step); display: inline-block; width: 18px; height: 18px; line-height: 18px;
  margin-right: 6px; border-radius: 50%; background: rgba(255,255,255,0.25); text-align: center; font-weight: 700; }
"""


def make_theme() -> Any:
    import gradio as gr

    return gr.themes.Soft(primary_hue="red", secondary_hue="orange", neutral_hue="slate",
                          font=CJK_FONTS, font_mono=["Noto Sans Mono CJK SC", "monospace"])


def launch_options() -> dict[str, Any]:
    """Keyword arguments for `launch()` / `gr.mount_gradio_app()` that give the page its look."""
    return {"css": UI_CSS, "theme": make_theme()}
