#!/usr/bin/python3
# Keeps docs/qsvautoenc.md true to the element.
#
#   element-doc.py DOC          check (a meson test): exit 1 on any drift
#   element-doc.py DOC --update rewrite the generated property table
#
# The property table between the "properties:begin/end" markers is generated
# from the element's own GParamSpecs (name, type, range or values, default,
# when it may be changed, blurb). The check also runs a short pipeline and
# requires every field of the qsvautoenc-selected message and of the
# selection-report to be documented, every catalog encoder to have a column
# in the mapping table, every writable property to be in that table, and the
# tracer's record names to be documented.
# Needs Debian's python3-gi and gir1.2-gstreamer-1.0; GST_PLUGIN_PATH must
# reach the plugin (meson sets it).
# SPDX-License-Identifier: LGPL-2.1-or-later
import re
import sys

import gi
gi.require_version("Gst", "1.0")
from gi.repository import GObject, Gst  # noqa: E402

BEGIN = "<!-- properties:begin (generated from the element by tests/docs/element-doc.py --update; a test checks it) -->"
END = "<!-- properties:end -->"
ENCODERS = ["x264enc", "vah264enc", "vah264lpenc", "qsvh264enc",
            "vaapih264enc", "openh264enc"]
TRACER_RECORDS = ["qsvautoenc-selection", "qsvautoenc-fallback",
                  "qsvautoenc-totals"]
MESSAGES = ["qsvautoenc-selected", "qsvautoenc-fallback", "qsvautoenc-stall"]
# GstParamFlags (gstobject.h): G_PARAM_USER_SHIFT is 8
MUTABLE_READY, MUTABLE_PAUSED, MUTABLE_PLAYING = 1 << 10, 1 << 11, 1 << 12


def esc(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def prop_rows(element):
    rows = []
    for p in element.list_properties():
        if p.owner_type.name not in ("GstQsvAutoEnc", "GstQsvAutoEncBase"):
            continue
        d = p.default_value
        if isinstance(d, GObject.GEnum):
            vals = sorted(type(d).__enum_values__.items())
            kind = "enum"
            rng = ", ".join(f"`{v.value_nick}` ({k})" for k, v in vals)
            default = f"`{d.value_nick}`"
        elif p.value_type.name in ("guint", "gint", "guint64", "gint64"):
            kind = "unsigned int" if p.value_type.name.startswith("gu") \
                else "int"
            rng = f"{p.minimum} – {p.maximum}"
            default = f"`{d}`"
        elif p.value_type.name == "gboolean":
            kind, rng, default = "boolean", "`true`, `false`", \
                f"`{'true' if d else 'false'}`"
        elif p.value_type.name == "gchararray":
            kind, rng = "string", ""
            default = f"`{d}`" if d is not None else "NULL"
        else:
            kind, rng, default = p.value_type.name, "", \
                "NULL" if d is None else f"`{d}`"
        flags = int(p.flags)
        if not flags & GObject.ParamFlags.WRITABLE:
            access = "read-only"
        elif flags & MUTABLE_PLAYING:
            access = "NULL – PLAYING"
        elif flags & MUTABLE_PAUSED:
            access = "NULL – PAUSED"
        elif flags & MUTABLE_READY:
            access = "NULL, READY"
        else:
            access = "NULL"
        rows.append(f"| `{p.name}` | {kind} | {esc(rng)} | {esc(default)} | "
                    f"{access} | {esc(p.blurb)} |")
    head = ["| property | type | range / values | default | settable in | "
            "description (the element's own) |",
            "|---|---|---|---|---|---|"]
    return "\n".join(head + rows)


def observed_fields(element_name="qsvautoenc"):
    """fields of the selected message and the selection report, seen live"""
    pipe = Gst.parse_launch("videotestsrc num-buffers=3 ! "
                            f"{element_name} name=enc ! fakesink")
    bus = pipe.get_bus()
    pipe.set_state(Gst.State.PLAYING)
    fields = {}
    while True:
        msg = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE,
                                     Gst.MessageType.EOS |
                                     Gst.MessageType.ERROR |
                                     Gst.MessageType.ELEMENT)
        if msg.type == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            fields[s.get_name()] = [s.nth_field_name(i)
                                    for i in range(s.n_fields())]
            continue
        if msg.type == Gst.MessageType.ERROR:
            raise SystemExit(f"pipeline error: {msg.parse_error()[0].message}")
        break
    report = pipe.get_by_name("enc").get_property("selection-report")
    fields["selection-report"] = [report.nth_field_name(i)
                                  for i in range(report.n_fields())]
    pipe.set_state(Gst.State.NULL)
    return fields


def section(doc, title):
    m = re.search(r"^## " + re.escape(title) + r".*?$(.*?)(?=^## |\Z)", doc,
                  re.S | re.M)
    return m.group(1) if m else ""


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: element-doc.py DOC [--update]")
    path, update = sys.argv[1], "--update" in sys.argv[2:]
    Gst.init(None)
    element = Gst.ElementFactory.make("qsvautoenc")
    if element is None:
        raise SystemExit("qsvautoenc not found: set GST_PLUGIN_PATH")
    doc = open(path, encoding="utf-8").read()
    table = prop_rows(element)
    try:
        before, rest = doc.split(BEGIN, 1)
        current, after = rest.split(END, 1)
    except ValueError:
        raise SystemExit(f"{path}: the markers {BEGIN!r} / {END!r} are missing")
    if update:
        with open(path, "w", encoding="utf-8") as f:
            f.write(before + BEGIN + "\n" + table + "\n" + END + after)
        print(f"updated the property table of {path}")
        return
    problems = []
    if current.strip() != table.strip():
        cur = set(current.strip().splitlines())
        new = set(table.strip().splitlines())
        for line in sorted(new - cur):
            problems.append(f"property table lacks: {line}")
        for line in sorted(cur - new):
            problems.append(f"property table has, element doesn't: {line}")
    mapping = section(doc, "Mapping")
    header = next((l for l in mapping.splitlines() if l.startswith("|")), "")
    for enc in ENCODERS:
        if f"`{enc}`" not in header:
            problems.append(f"mapping table has no column for {enc}")
    for p in element.list_properties():
        if p.owner_type.name in ("GstQsvAutoEnc", "GstQsvAutoEncBase") and \
                p.flags & GObject.ParamFlags.WRITABLE and \
                f"| `{p.name}`" not in doc.split(END, 1)[1]:
            problems.append(f"property {p.name} is not described after the "
                            "generated table (mapping / notes)")
    messages = section(doc, "Messages")
    for name in MESSAGES:
        if f"`{name}`" not in messages:
            problems.append(f"message {name} is not documented")
    for name, fields in observed_fields().items():
        where = messages if name != "selection-report" else doc
        for field in fields:
            if f"`{field}`" not in where:
                problems.append(f"{name}: field {field} is not documented")
    tracer = section(doc, "Tracer")
    for rec in TRACER_RECORDS:
        if f"`{rec}`" not in tracer:
            problems.append(f"tracer record {rec} is not documented")
    if problems:
        print(f"{path} has drifted from the element "
              "(run tests/docs/element-doc.py DOC --update for the table):")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print(f"{path} matches the element: "
          f"{len(table.splitlines()) - 2} properties, {len(MESSAGES)} "
          f"messages, {len(ENCODERS)} encoders, {len(TRACER_RECORDS)} "
          "tracer records")


if __name__ == "__main__":
    main()
