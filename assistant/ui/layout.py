"""The page: components, where they sit, and which handler each event calls.

Handlers (callbacks.Actions and the handler classes over it: chat, exporting, versions, knowledge_panel) return
updates keyed by component name; `Wiring` maps them to components and turns any unexpected exception into a
Chinese status line instead of a traceback.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Sequence
from typing import Any

import gradio as gr

from assistant.errors import UserError
from assistant.limits import DEFAULT_MAX_INPUT_BYTES, check_text_size, size_label
from assistant.schema import ROLES
from assistant.services import Services
from assistant.services.sessions import FORM_FIELDS, SessionStore
from assistant.ui import rendering as R
from assistant.ui.callbacks import Actions
from assistant.ui.chat import ChatActions
from assistant.ui.downloads import download_folder, prune
from assistant.ui.exporting import ExportActions
from assistant.ui.knowledge_panel import KB_HEADERS, KnowledgeActions
from assistant.ui.state import BACKEND_CHOICES
from assistant.ui.style import HEADER_CSS, HEADER_HTML, UI_CSS, make_theme
from assistant.ui.updates import TOAST_TITLE
from assistant.ui.versions import EMPTY_DIFF, TARGET_CHOICES, VERSION_HEADERS, VersionActions

log = logging.getLogger(__name__)

CONCURRENCY = 8  # drafting events per handler at once: one user's draft never blocks the others' page
BUSY_BUTTONS = ("btn_outline", "btn_section", "btn_all", "btn_revise", "btn_check", "btn_send", "btn_apply",
                "btn_ver_restore")
VISIBILITY = frozenset({"proposal_box"})  # handlers say True/False; the page shows or hides the group
FACTS_FILE_TYPES = [".yaml", ".yml", ".json", ".txt", ".md"]
EXAMPLE_TYPES = [".txt", ".md", ".docx", ".pdf"]
UNEXPECTED = "出了意外错误，已记入日志；你填写的事实和草稿都还在，请重试。"
BOX_NAMES = {"outline": "提纲", "instruction": "修改要求", "chat_input": "对话消息"}  # boxes shown without a label
GRADIO_CACHE = (3600, 86400)  # Gradio's copies of uploads and exports: checked hourly, removed after a day


class Wiring:
    """Component registry plus adapters from name-keyed handler results to Gradio updates.

    Every handler's text inputs are held to `max_input_bytes` (ASSISTANT_MAX_INPUT_KB) before the handler runs:
    a paste over it gets one Chinese message naming the box and the limit, and nothing reaches a model.
    """

    def __init__(self, max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> None:
        self.c: dict[str, Any] = {}
        self.max_input_bytes = max_input_bytes
        self.box_names: dict[int, str] = {}  # id(component) -> what the user calls that box

    def add(self, name: str, component: Any) -> Any:
        self.c[name] = component
        return component

    def __getitem__(self, name: str) -> Any:
        return self.c[name]

    def many(self, names: Sequence[str]) -> list[Any]:
        return [self.c[n] for n in names]

    def _map(self, updates: dict[str, Any], names: Sequence[str]) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for name, value in updates.items():
            if name not in names:
                log.debug("handler update %s is not an output of this event", name)
                continue
            if name == "tabs":
                value = gr.Tabs(selected=value)
            elif name in VISIBILITY:
                value = gr.update(visible=bool(value))
            out[self.c[name]] = value
        return out

    def _crash(self, exc: Exception) -> dict[str, Any]:
        if isinstance(exc, UserError):
            message = exc.message
        else:
            log.exception("UI handler failed")
            message = UNEXPECTED
        gr.Warning(message, title=TOAST_TITLE)
        return {"status": R.render_status(message, "error")}

    def check_sizes(self, args: Sequence[Any], inputs: Sequence[Any]) -> None:
        """Refuse any text input over the limit, naming its box (UserError)."""
        boxes = [*inputs, *[None] * len(args)]
        for value, box in zip(args, boxes, strict=False):
            if isinstance(value, str) and len(value) > self.max_input_bytes // 4:  # shorter is surely within
                name = self.box_names.get(id(box))
                what = f"“{name}”中的文字" if name else "输入的文字"
                if len(value) == self.max_input_bytes + 1:  # exactly what the box keeps of a longer paste
                    # the box's max_length cut the paste: its real size never reached the server
                    raise UserError(f"{what}太大（超过上限 {size_label(self.max_input_bytes)}，粘贴时已被截断）："
                                    "请删去与本年度总结无关的内容，只保留需要的部分。")
                check_text_size(value, what, self.max_input_bytes)

    def wrap(self, fn: Callable[..., Any], names: Sequence[str], inputs: Sequence[Any] = ()) -> Callable[..., Any]:
        """The handler with dict results mapped to components; errors (an input over the size limit too)
        become a status line. `inputs` are the event's input components, to name a box that is too full."""
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn, assigned=("__name__", "__doc__"))
            def run_stream(*args: Any) -> Any:
                try:
                    self.check_sizes(args, inputs)
                    for updates in fn(*args):
                        mapped = self._map(updates, names)
                        if mapped:  # Gradio reads an empty dict as one missing output value
                            yield mapped
                except Exception as exc:  # noqa: BLE001 - the page must never show a traceback
                    yield self._map(self._crash(exc), names)
            return run_stream

        @functools.wraps(fn, assigned=("__name__", "__doc__"))
        def run(*args: Any) -> Any:
            try:
                self.check_sizes(args, inputs)
                result = fn(*args)
                return (self._map(result, names) or gr.skip()) if names else None  # {} would be read as a value
            except Exception as exc:  # noqa: BLE001
                crashed = self._crash(exc)
                return (self._map(crashed, names) or gr.skip()) if names else None
        return run


def busy_updates(w: Wiring, on: bool, message: str = "") -> dict[Any, Any]:
    """Buttons and the section radio off, 停止 on, while a stream runs (and back again): a section picked
    mid-stream would show one section's text under another's name."""
    out: dict[Any, Any] = {w[b]: gr.update(interactive=not on) for b in (*BUSY_BUTTONS, "section")}
    out[w["btn_stop"]] = gr.update(interactive=on)
    if message:
        out[w["status"]] = R.render_status(message, "busy" if on else "warn")
    return out


def build_layout(services: Services, store: SessionStore) -> gr.Blocks:
    """Assemble the page and wire every event to its handler."""
    act = Actions(services, store, download_folder())
    w = Wiring(services.settings.max_input_bytes)
    with gr.Blocks(title="工作总结写作助手", delete_cache=GRADIO_CACHE) as demo:
        w.add("sid", gr.BrowserState(None, storage_key="assistant-session-id", secret=store.browser_secret()))
        w.add("state", gr.State(None))
        gr.HTML(HEADER_HTML, css_template=HEADER_CSS, js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=4, min_width=340, elem_id="facts-col"):
                _facts_form(w)
            with gr.Column(scale=7, min_width=480, elem_id="work-col"):
                with gr.Row(elem_id="status-row"):
                    w.add("status", _panel(R.render_status("正在载入……"), "status-line", scale=6))
                    w.add("btn_stop", gr.Button("■ 停止", variant="stop", interactive=False, size="sm", scale=0,
                                                min_width=90, elem_id="stop-btn"))
                with gr.Tabs(selected="write") as tabs:
                    w.add("tabs", tabs)
                    with gr.Tab("起草", id="write"):
                        _writing_tab(w)
                    with gr.Tab("对话", id="chat"):
                        _chat_tab(w)
                    with gr.Tab("全文与导出", id="doc") as doc_tab:
                        _document_tab(w)
                    with gr.Tab("版本", id="versions") as versions_tab:
                        _versions_tab(w)
                    with gr.Tab("模型", id="model"):
                        _model_tab(w, services)
                    with gr.Tab("范文库", id="kb"):
                        _knowledge_tab(w)
                w.add("doc_tab", doc_tab)
                w.add("versions_tab", versions_tab)
        _wire(demo, w, act)
    return demo


def _panel(value: str, elem_id: str, **kw: Any) -> gr.HTML:
    """A read-only HTML panel carrying its own (scoped) CSS."""
    return gr.HTML(value, css_template=R.PANEL_CSS, js_on_load=None, elem_id=elem_id, **kw)


def _text(w: Wiring, name: str, label: str | None = None, **kw: Any) -> gr.Textbox:
    """A text box. The browser cuts a paste at one character over the limit: a character is at least a byte, so
    text within the limit is never cut, and a cut text is over it, which the server then says (Wiring)."""
    elem_id = name.replace("_", "-") + "-box"
    if label is None:
        kw.setdefault("show_label", False)
    kw.setdefault("max_length", w.max_input_bytes + 1)
    box = w.add(name, gr.Textbox(label=label, elem_id=elem_id, **kw))
    w.box_names[id(box)] = label or BOX_NAMES.get(name, "输入框")
    return box


def _facts_form(w: Wiring) -> None:
    gr.Markdown("### ① 本单位的事实")
    with gr.Row():
        _text(w, "unit", "单位", placeholder="如：市交通运输局工会", scale=3)
        _text(w, "year", "年度", placeholder="如：2024", scale=1, min_width=90)
    _text(w, "title", "总结类型/标题", placeholder="可不填，默认为“单位＋年度＋工作总结”")
    _text(w, "achievements", "主要工作与成绩", lines=6, max_lines=16,
          placeholder="每行一条，写清数字；做法和成效可写在条目下一行。例如：\n组织职工培训12期，参训860人次\n"
                      "  做法：与职业技术学院合作开班\n走访慰问困难职工45户")
    _text(w, "problems", "存在问题", lines=3, max_lines=10, placeholder="每行一条，例如：部分职工参与积极性不高")
    _text(w, "plans", "下一步计划", lines=3, max_lines=10, placeholder="每行一条，例如：开展职工技能竞赛")
    _text(w, "free_text", "其他材料（可粘贴）", lines=3, max_lines=12,
          placeholder="可直接粘贴会议记录、工作台账等，起草时作为补充事实")
    with gr.Row():
        w.add("facts_file", gr.UploadButton("从文件导入事实…", file_types=FACTS_FILE_TYPES, size="sm",
                                            elem_id="facts-file"))
        w.add("btn_sample", gr.Button("填入示例", size="sm"))
    gr.Markdown("可导入 .yaml / .json / .txt 事实文件。填写的内容自动保存在本浏览器的会话中，刷新页面不会丢失。",
                elem_classes=["hint"])
    with gr.Accordion("事实用在哪里", open=True):
        w.add("fact_use", _panel(R.render_fact_use("", None), "fact-use-panel"))


def _writing_tab(w: Wiring) -> None:
    w.add("section", gr.Radio(list(ROLES), value="成绩", label="要起草的部分", elem_id="section-pick"))
    with gr.Row(elem_id="action-row"):
        w.add("btn_outline", gr.Button("生成提纲"))
        w.add("btn_section", gr.Button("起草本节", variant="primary"))
        w.add("btn_all", gr.Button("起草全文", variant="primary"))
    with gr.Accordion("提纲（可修改；起草“成绩”时按提纲分组）", open=True):
        _text(w, "outline", lines=3, max_lines=14, placeholder="点“生成提纲”，或自己写：一、……")
    _text(w, "draft", "本节草稿（可直接修改，改完点“核查”）", lines=10, max_lines=28, buttons=["copy"])
    with gr.Row():
        _text(w, "instruction", scale=4, placeholder="修改要求，如：更精炼 / 加一段关于职工培训的内容")
        w.add("btn_revise", gr.Button("修改", scale=1, min_width=80))
        w.add("btn_check", gr.Button("核查", scale=1, min_width=80))
    with gr.Tabs():
        with gr.Tab("核查结果"):
            w.add("check", _panel(R.render_check("", None), "check-panel"))
        with gr.Tab("参考范文"):
            w.add("sources", _panel(R.render_sources([]), "sources-panel"))


def _chat_tab(w: Wiring) -> None:
    w.add("chat", gr.Chatbot(label="对话", height=430, feedback_options=None, elem_id="chatbot", buttons=["copy_all"],
                             placeholder="可以提自由的要求，例如“帮我把第二部分写得更精炼”。回答会参考左侧的事实和当前全文。"))
    with gr.Column(visible=False, elem_id="proposal-box") as proposal_box:
        w.add("proposal", _panel("", "proposal-panel"))
        with gr.Row():
            w.add("btn_apply", gr.Button("应用", variant="primary", size="sm", elem_id="apply-btn"))
            w.add("btn_discard", gr.Button("放弃", size="sm", elem_id="discard-btn"))
    w.add("proposal_box", proposal_box)
    with gr.Row():
        _text(w, "chat_input", scale=5, placeholder="输入要求，回车发送；如“把第二部分写得更简洁一些”“加一段职工书屋的内容”")
        w.add("btn_send", gr.Button("发送", variant="primary", scale=1, min_width=80))
        w.add("btn_clear_chat", gr.Button("清空", scale=1, min_width=70))


def _document_tab(w: Wiring) -> None:
    _text(w, "document", "全文（按部分顺序拼合，可直接修改；导出时按这里的内容）", lines=18, max_lines=40,
          buttons=["copy"])
    with gr.Row():
        w.add("btn_reassemble", gr.Button("按各部分重新拼合"))
        w.add("btn_docx", gr.Button("导出 Word (.docx)", variant="primary"))
        w.add("btn_md", gr.Button("导出 Markdown"))
    with gr.Row(equal_height=True):
        w.add("ver_export_pick", gr.Dropdown(label="与此版本比较导出 Word（修订模式）", choices=[], scale=3,
                                             elem_id="ver-export-pick",
                                             info="选一个较早的全文版本：导出的 Word 把此后的改动标为修订，可逐条接受或拒绝。"))
        w.add("btn_docx_tracked", gr.Button("导出带修订的 Word", scale=1, elem_id="tracked-btn"))
    w.add("export_file", gr.File(label="导出的文件", interactive=False, height=90, elem_id="export-file"))


def _versions_tab(w: Wiring) -> None:
    w.add("ver_target", gr.Radio(TARGET_CHOICES, value=TARGET_CHOICES[0], label="查看哪一部分的版本",
                                 elem_id="ver-target"))
    w.add("ver_table", gr.Dataframe(headers=VERSION_HEADERS, datatype=["str"] * 5 + ["number", "str"],
                                    interactive=False, wrap=True, label="版本（最新的在最上面）", elem_id="ver-table"))
    with gr.Row(equal_height=True):
        w.add("ver_a", gr.Dropdown(label="较早的版本", choices=[], scale=1, elem_id="ver-a"))
        w.add("ver_b", gr.Dropdown(label="与之比较", choices=[], scale=1, elem_id="ver-b"))
    with gr.Row():
        w.add("btn_ver_compare", gr.Button("比较这两个版本", elem_id="ver-compare-btn"))
        w.add("btn_ver_restore", gr.Button("恢复较早的版本", variant="primary", elem_id="ver-restore-btn"))
    w.add("ver_diff", _panel(R.empty_panel(EMPTY_DIFF), "ver-diff"))


def _model_tab(w: Wiring, services: Services) -> None:
    settings = services.settings
    w.add("backend", gr.Radio(BACKEND_CHOICES, value=settings.backend, label="用哪种方式起草", elem_id="backend-pick",
                              info="本地模型不可用时自动改用模板；模板模式不编写新内容，只按事实组织成文。"))
    with gr.Column(visible=settings.backend == "openai") as openai_box:
        _text(w, "base_url", "服务地址 (Base URL)", value=settings.openai_base_url)
        _text(w, "model_name", "模型名称", value=settings.openai_model)
        has_key = settings.openai_api_key is not None
        _text(w, "api_key", "API 密钥", type="password", value="",
              placeholder="服务器已配置密钥，可留空" if has_key else "可留空（本机服务通常不需要）")
    w.add("openai_box", openai_box)
    w.add("btn_test_model", gr.Button("检查模型"))
    w.add("model_status", _panel(R.render_status("选择后直接起草即可；密钥只用于本次会话，不会保存。"), "model-status"))


def _knowledge_tab(w: Wiring) -> None:
    w.add("kb_count", _panel(R.render_status("正在读取范文库……", "busy"), "kb-count"))
    w.add("kb_table", gr.Dataframe(headers=KB_HEADERS, datatype=["str", "str", "str", "str", "number"],
                                   interactive=False, wrap=True, label="范文", elem_id="kb-table"))
    with gr.Row():
        w.add("kb_upload", gr.File(label="上传范文（.txt .md .docx .pdf）", file_count="multiple",
                                   file_types=EXAMPLE_TYPES, scale=3, height=110, elem_id="kb-upload"))
        w.add("btn_kb_upload", gr.Button("加入范文库", variant="primary", scale=1))
    with gr.Row():
        w.add("kb_remove_pick", gr.Dropdown(label="删除上传的范文", choices=[], scale=3, elem_id="kb-remove-pick"))
        w.add("btn_kb_remove", gr.Button("删除", variant="stop", scale=1))


def _wire(demo: gr.Blocks, w: Wiring, act: Actions) -> None:
    kb = KnowledgeActions(act.services.knowledge)
    chat = ChatActions(act)
    form = w.many(FORM_FIELDS)
    model = w.many(("backend", "base_url", "model_name", "api_key"))
    busy_outs = w.many((*BUSY_BUTTONS, "section", "btn_stop", "status"))
    private: dict[str, Any] = {"api_visibility": "private"}
    quick: dict[str, Any] = {**private, "show_progress": "hidden", "concurrency_limit": None}

    def on(trigger: Any, fn: Callable[..., Any], inputs: Sequence[str] | list[Any], outputs: Sequence[str],
           **kw: Any) -> Any:
        ins = [w[i] if isinstance(i, str) else i for i in inputs]
        return trigger(w.wrap(fn, outputs, ins), ins, w.many(outputs),
                       **{**private, "concurrency_limit": CONCURRENCY, **kw})

    load_outs = ("sid", "state", *FORM_FIELDS, "backend", "base_url", "model_name", "outline", "section", "draft",
                 "chat", "sources", "check", "status", "document", "proposal", "proposal_box", "model_status")
    kb_outs = ("kb_table", "kb_count", "kb_remove_pick")
    loaded = on(demo.load, act.load, ["sid"], load_outs)
    loaded.then(lambda b: gr.Column(visible=b == "openai"), [w["backend"]], [w["openai_box"]], **quick)
    on(demo.load, kb.kb_ensure, [], kb_outs)

    # Saving on every change: the facts survive a reload. (Gradio 6 fires a textbox's `input` only on
    # key presses, not for IME composition or a mouse paste, so `change` is the reliable event.)
    # A paste over the size limit is named in the status line as soon as it lands (the box holds one character
    # over the limit, so the rest of a huge paste never leaves the browser).
    # One listener for all fields, not one per field: each save carries the whole form as it was when sent, and
    # the page sends a listener's next event only after the last one came back (always_last), so an older form
    # can never land after a newer one. With a listener per field, two saves sent together could reach the
    # server in either order under load, and the older form won (the reload test lost its facts so on CI).
    gr.on([field.change for field in form], w.wrap(act.save_form, ("status",), [w["state"], *form]),
          [w["state"], *form], [w["status"]], trigger_mode="always_last",
          **{**quick, "concurrency_limit": 1, "concurrency_id": "save_form"})
    # Where each fact is used in the full text: recomputed when the text or a fact changes, by one listener
    # as the saves are (the latest wins, and an older panel never lands after a newer one; a long stream or
    # fast typing never queues checks).
    fact_use_ins = w.many(("state", "document", *FORM_FIELDS))
    gr.on([w["document"].change, *(field.change for field in form)],
          w.wrap(act.fact_use, ("fact_use",), fact_use_ins), fact_use_ins, w.many(("fact_use",)),
          trigger_mode="always_last", **{**quick, "concurrency_limit": 1, "concurrency_id": "fact_use"})
    on(w["btn_sample"].click, act.fill_sample, ["state"], (*FORM_FIELDS, "status"), **quick)
    on(w["facts_file"].upload, act.import_facts, ["state", "facts_file"], (*FORM_FIELDS, "status"))

    # Streaming actions: busy state first, then the handler, then idle; 停止 cancels whichever runs.
    draft_outs = ("draft", "status", "check", "sources", "document", "section", "state", "tabs", "outline",
                  "model_status", "chat")
    chat_outs = ("chat", "chat_input", "status", "state", *FORM_FIELDS, "proposal", "proposal_box")
    streams = [
        (w["btn_outline"].click, act.outline, ["state", *form, *model], draft_outs),
        (w["btn_section"].click, act.section, ["state", "section", "outline", *form, *model], draft_outs),
        (w["btn_all"].click, act.draft_all, ["state", "section", "outline", *form, *model], draft_outs),
        (w["btn_revise"].click, act.revise, ["state", "section", "draft", "instruction", *form, *model],
         draft_outs),
        (w["btn_send"].click, chat.chat, ["state", "chat_input", "document", *form, *model],
         chat_outs),  # facts in a message fill the form; a change request becomes a proposal
        (w["chat_input"].submit, chat.chat, ["state", "chat_input", "document", *form, *model],
         chat_outs),
    ]
    running = []
    for trigger, fn, ins, outs in streams:
        start = trigger(lambda: busy_updates(w, True, "正在生成……可随时点“停止”。"), None, busy_outs, **quick)
        in_boxes = [w[i] if isinstance(i, str) else i for i in ins]
        job = start.then(w.wrap(fn, outs, in_boxes), in_boxes, w.many(outs),
                         concurrency_limit=CONCURRENCY, show_progress="minimal", **private)
        job.then(lambda: busy_updates(w, False), None, busy_outs, **quick)
        running.append(job)

    def stop(s: Any, role: str, text: str) -> dict[Any, Any]:
        return {**busy_updates(w, False, "已停止。已生成的部分保留在草稿框中，可以修改后再核查。"),
                **w._map(act.stopped(s, role, text), ("draft",))}
    w["btn_stop"].click(stop, [w["state"], w["section"], w["draft"]], [*busy_outs, w["draft"]],
                        cancels=running, **quick)

    on(w["btn_check"].click, act.check, ["state", "section", "draft", *form],
       ("check", "status", "document", "state"), concurrency_limit=CONCURRENCY)
    on(w["section"].input, act.pick_section, ["state", "section", "draft"],
       ("draft", "check", "sources", "state", "status"), **quick)
    # Hand edits are kept when the box loses focus; every action also reads the boxes it needs directly.
    on(w["draft"].blur, act.edit_draft, ["state", "section", "draft", *form], ("document",), **quick)
    on(w["outline"].blur, act.edit_outline, ["state", "outline"], (), **quick)
    on(w["document"].blur, act.edit_document, ["state", "document", *form], (), **quick)
    on(w["btn_reassemble"].click, act.reassemble, ["state", *form], ("document", "status"), **quick)
    on(w["btn_clear_chat"].click, chat.clear_chat, ["state"], ("chat",), **quick)
    applied = ("chat", "proposal", "proposal_box", "draft", "document", "check", "status", "state")
    on(w["btn_apply"].click, chat.apply_proposal, ["state", "section", "draft", "document", *form], applied)
    on(w["btn_discard"].click, chat.discard_proposal, ["state"], applied, **quick)
    on(w["chat"].clear, chat.clear_chat, ["state"], ("chat",), **quick)
    for button, fmt in (("btn_docx", "docx"), ("btn_md", "md")):
        on(w[button].click, _export(act, fmt),
           ["state", "document", *form], ("export_file", "status"), concurrency_limit=CONCURRENCY)
    _wire_versions(w, act, on, form)

    # Model panel: the key is an input only; it is never an output, never saved.
    w["backend"].change(lambda b: gr.Column(visible=b == "openai"), [w["backend"]], [w["openai_box"]], **quick)
    for trigger in (w["backend"].input, w["base_url"].blur, w["model_name"].blur):
        on(trigger, act.save_model, ["state", "backend", "base_url", "model_name"], (), **quick)
    on(w["btn_test_model"].click, act.test_model, model, ("model_status",), concurrency_limit=CONCURRENCY)

    # Knowledge panel.
    def upload(files: Any, progress: gr.Progress = gr.Progress()) -> dict[Any, Any]:  # noqa: B008 - Gradio's idiom
        outs = (*kb_outs, "kb_upload")
        try:
            return w._map(kb.kb_upload(files, progress), outs)
        except Exception as exc:  # noqa: BLE001
            return w._map({"kb_count": w._crash(exc)["status"]}, outs)
    w["btn_kb_upload"].click(upload, [w["kb_upload"]], w.many((*kb_outs, "kb_upload")),
                             concurrency_limit=2, **private)
    on(w["btn_kb_remove"].click, kb.kb_remove, ["kb_remove_pick"], kb_outs, concurrency_limit=2)


def _wire_versions(w: Wiring, act: Actions, on: Callable[..., Any], form: list[Any]) -> None:
    """The 版本 tab (list, compare, restore) and the tracked-changes export picker."""
    ver = VersionActions(act)
    exports = ExportActions(act)
    view_outs = ("ver_table", "ver_a", "ver_b", "ver_diff", "status")
    on(w["versions_tab"].select, ver.view, ["state", "ver_target"], view_outs)
    on(w["ver_target"].change, ver.view, ["state", "ver_target"], view_outs)
    on(w["btn_ver_compare"].click, ver.compare,
       ["state", "ver_target", "ver_a", "ver_b", "section", "draft", "document", *form], ("ver_diff", "status"))
    on(w["btn_ver_restore"].click, ver.restore, ["state", "ver_target", "ver_a", "section", *form],
       (*view_outs, "document", "draft", "check", "state"))
    on(w["doc_tab"].select, ver.export_choices, ["state", "document"], ("ver_export_pick",))

    def tracked(s: Any, pick: Any, document: str, *values: str) -> dict[str, Any]:
        try:
            return {**exports.export_tracked(s, pick, document, *values), **ver.export_choices(s, document)}
        finally:
            prune(act.download_dir)
    on(w["btn_docx_tracked"].click, tracked, ["state", "ver_export_pick", "document", *form],
       ("export_file", "status", "ver_export_pick"))


def _export(act: Actions, fmt: str) -> Callable[..., Any]:
    exports = ExportActions(act)

    def export(s: Any, document: str, *form: str) -> dict[str, Any]:
        try:
            return exports.export(s, fmt, document, *form)
        finally:
            prune(act.download_dir)  # earlier exports, long fetched
    export.__name__ = f"export_{fmt}"
    return export


def attach_style(demo: gr.Blocks) -> gr.Blocks:
    """Give the page its CSS and theme when the caller's launch() passes none (Gradio 6 moved them there)."""
    if getattr(demo, "_deprecated_css", None) is None and hasattr(demo, "_deprecated_css"):
        demo._deprecated_css = UI_CSS
    if getattr(demo, "_deprecated_theme", None) is None and hasattr(demo, "_deprecated_theme"):
        demo._deprecated_theme = make_theme()
    return demo
