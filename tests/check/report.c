/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The selection report (gst/qsvautoenc/gstqsvreport.c): GstStructure round
 * trip, its JSON parsed back, one name per field in both, and which
 * elements count as reporters (by factory, not by type). */

#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>

#include "gstqsvreport.h"

static GstQsvReport *
sample_report (void)
{
  GstQsvReport *r = gst_qsv_report_new ();

  r->encoder = g_strdup ("vah264lpenc");
  r->hardware = TRUE;
  r->device = g_strdup ("/dev/dri/renderD128");
  r->vendor = g_strdup ("Intel iHD driver \"quoted\" \xc3\xa9\n2nd line");
  r->driver = g_strdup ("iHD");
  r->rate_control = g_strdup ("cqp");
  r->reason = g_strdup ("hardware H.264 encode on /dev/dri/renderD128: a, b");
  r->va_status = g_strdup ("ok");
  gst_qsv_report_add_rejected (r, "qsvh264enc", "needs an Intel GPU: x: y");
  gst_qsv_report_add_rejected (r, "vah264enc", "no EncSlice entrypoint");
  gst_qsv_report_add_fallback (r, "vah264enc", "vah264lpenc",
      "Internal data stream error: a -> b: c");
  return r;
}

static void
assert_same (const GstQsvReport * a, const GstQsvReport * b)
{
  guint i;

  fail_unless_equals_string (a->encoder, b->encoder);
  fail_unless_equals_int (a->hardware, b->hardware);
  fail_unless_equals_string (a->device, b->device);
  fail_unless_equals_string (a->vendor, b->vendor);
  fail_unless_equals_string (a->driver, b->driver);
  fail_unless_equals_string (a->rate_control, b->rate_control);
  fail_unless_equals_string (a->reason, b->reason);
  fail_unless_equals_string (a->va_status, b->va_status);
  fail_unless_equals_int (a->rejected->len, b->rejected->len);
  for (i = 0; i < a->rejected->len; i++) {
    const GstQsvReportRejection *x = g_ptr_array_index (a->rejected, i);
    const GstQsvReportRejection *y = g_ptr_array_index (b->rejected, i);

    fail_unless_equals_string (x->factory, y->factory);
    fail_unless_equals_string (x->reason, y->reason);
  }
  fail_unless_equals_int (a->fallbacks->len, b->fallbacks->len);
  for (i = 0; i < a->fallbacks->len; i++) {
    const GstQsvReportFallback *x = g_ptr_array_index (a->fallbacks, i);
    const GstQsvReportFallback *y = g_ptr_array_index (b->fallbacks, i);

    fail_unless_equals_string (x->from, y->from);
    fail_unless_equals_string (x->to, y->to);
    fail_unless_equals_string (x->error, y->error);
  }
}

GST_START_TEST (test_structure_round_trip)
{
  GstQsvReport *r = sample_report (), *back, *empty = gst_qsv_report_new ();
  GstStructure *s = gst_qsv_report_to_structure (r, NULL);
  const GstQsvReportFallback *last;
  gchar *text;

  /* the element's property structure, with today's field names */
  fail_unless (gst_structure_has_name (s, GST_QSV_REPORT_STRUCTURE_NAME));
  fail_unless_equals_string (gst_structure_get_string (s, "rate-control"),
      "cqp");
  fail_unless_equals_string (gst_structure_get_string (s, "va-status"),
      "ok");
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (gst_structure_get_value (s, "rejected"), 0)),
      "qsvh264enc: needs an Intel GPU: x: y");
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (gst_structure_get_value (s, "fallbacks"), 0)),
      "vah264enc -> vah264lpenc: Internal data stream error: a -> b: c");

  back = gst_qsv_report_from_structure (s);
  assert_same (r, back);
  last = gst_qsv_report_last_fallback (back);
  fail_unless (last != NULL);
  fail_unless_equals_string (last->from, "vah264enc");
  gst_qsv_report_free (back);

  /* through the text form too, as a bus message travels in a log */
  text = gst_structure_to_string (s);
  gst_structure_free (s);
  s = gst_structure_from_string (text, NULL);
  fail_unless (s != NULL, "%s", text);
  back = gst_qsv_report_from_structure (s);
  assert_same (r, back);
  gst_qsv_report_free (back);
  gst_structure_free (s);
  g_free (text);

  /* a copy is the same; an empty report survives the round trip, NULLs
   * and all */
  back = gst_qsv_report_copy (r);
  assert_same (r, back);
  gst_qsv_report_free (back);
  s = gst_qsv_report_to_structure (empty, GST_QSV_REPORT_SELECTED);
  fail_unless (gst_structure_has_name (s, "qsvautoenc-selected"));
  back = gst_qsv_report_from_structure (s);
  assert_same (empty, back);
  fail_unless (gst_qsv_report_last_fallback (back) == NULL);
  gst_qsv_report_free (back);
  gst_structure_free (s);

  gst_qsv_report_free (empty);
  gst_qsv_report_free (r);
}

GST_END_TEST;

/* Strings that do not follow "factory: reason" / "from -> to: error" are
 * kept whole, and written back unchanged. */
GST_START_TEST (test_odd_strings)
{
  GstStructure *s = gst_structure_from_string ("qsvautoenc-report, "
      "encoder=(string)x264enc, hardware=(boolean)false, "
      "rejected=(string)< \"no colon here\" >, "
      "fallbacks=(string)< \"just an error\" >", NULL);
  GstQsvReport *r;
  GstStructure *again;
  const GstQsvReportRejection *rej;

  fail_unless (s != NULL);
  r = gst_qsv_report_from_structure (s);
  fail_unless_equals_string (r->encoder, "x264enc");
  fail_unless (r->device == NULL && r->va_status == NULL);
  rej = g_ptr_array_index (r->rejected, 0);
  fail_unless_equals_string (rej->factory, "no colon here");
  fail_unless (rej->reason == NULL);
  fail_unless_equals_string (gst_qsv_report_last_fallback (r)->error,
      "just an error");
  again = gst_qsv_report_to_structure (r, NULL);
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (gst_structure_get_value (again, "rejected"), 0)), "no colon here");
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (gst_structure_get_value (again, "fallbacks"), 0)),
      "just an error");
  gst_structure_free (again);
  gst_qsv_report_free (r);
  gst_structure_free (s);
}

GST_END_TEST;

/* The JSON, parsed back by json-glib: every structure field under the
 * same name, '-' written '_', the same values. */
GST_START_TEST (test_json_parsed_back)
{
  GstQsvReport *r = sample_report ();
  GstStructure *s = gst_qsv_report_to_structure (r, NULL);
  gchar *text = gst_qsv_report_to_json (r);
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  JsonObject *o;
  JsonArray *a;
  guint i;

  fail_unless (json_parser_load_from_data (parser, text, -1, &error),
      "%s: %s", text, error ? error->message : "");
  o = json_node_get_object (json_parser_get_root (parser));
  fail_unless_equals_int (json_object_get_size (o), gst_structure_n_fields
      (s));
  for (i = 0; i < (guint) gst_structure_n_fields (s); i++) {
    gchar *key = g_strdup (gst_structure_nth_field_name (s, i));
    const GValue *v = gst_structure_get_value (s, key);

    g_strdelimit (key, "-", '_');
    fail_unless (json_object_has_member (o, key), "no %s in %s", key, text);
    if (G_VALUE_HOLDS_STRING (v)) {
      fail_unless_equals_string (json_object_get_string_member (o, key),
          g_value_get_string (v));
    } else if (G_VALUE_HOLDS_BOOLEAN (v)) {
      fail_unless_equals_int (json_object_get_boolean_member (o, key),
          g_value_get_boolean (v));
    }
    g_free (key);
  }
  a = json_object_get_array_member (o, "rejected");
  fail_unless_equals_int (json_array_get_length (a), 2);
  fail_unless_equals_string (json_array_get_string_element (a, 1),
      "vah264enc: no EncSlice entrypoint");
  a = json_object_get_array_member (o, "fallbacks");
  fail_unless_equals_string (json_array_get_string_element (a, 0),
      "vah264enc -> vah264lpenc: Internal data stream error: a -> b: c");
  g_object_unref (parser);
  g_free (text);

  /* NULL strings are null */
  g_clear_pointer (&r->device, g_free);
  text = gst_qsv_report_to_json (r);
  parser = json_parser_new ();
  fail_unless (json_parser_load_from_data (parser, text, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  fail_unless (json_object_get_null_member (o, "device"));
  g_object_unref (parser);
  g_free (text);
  gst_structure_free (s);
  gst_qsv_report_free (r);
}

GST_END_TEST;

/* Three test elements: a marked bin, a subclass of it with another type
 * and factory name, and a bin with a look-alike `selection-report`
 * property but no mark. */
typedef GstBin TestMarked;
typedef GstBinClass TestMarkedClass;
typedef GstBin TestLookalike;
typedef GstBinClass TestLookalikeClass;
typedef GstBin TestSubclass;
typedef GstBinClass TestSubclassClass;

static GType test_marked_get_type (void);
static GType test_lookalike_get_type (void);
static GType test_subclass_get_type (void);
G_DEFINE_TYPE (TestMarked, test_marked, GST_TYPE_BIN);
G_DEFINE_TYPE (TestSubclass, test_subclass, test_marked_get_type ());
G_DEFINE_TYPE (TestLookalike, test_lookalike, GST_TYPE_BIN);

static void
test_marked_class_init (TestMarkedClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "marked",
      "Codec/Encoder/Video", "test", "test");
  gst_qsv_report_mark_element_class (GST_ELEMENT_CLASS (klass));
}

static void
test_marked_init (TestMarked * self)
{
}

static void
test_subclass_class_init (TestSubclassClass * klass)
{
}

static void
test_subclass_init (TestSubclass * self)
{
}

static void
lookalike_get_property (GObject * object, guint id, GValue * value,
    GParamSpec * pspec)
{
  g_value_set_boxed (value, NULL);
}

static void
test_lookalike_class_init (TestLookalikeClass * klass)
{
  G_OBJECT_CLASS (klass)->get_property = lookalike_get_property;
  g_object_class_install_property (G_OBJECT_CLASS (klass), 1,
      g_param_spec_boxed ("selection-report", "r", "r", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE));
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "lookalike", "Codec/Encoder/Video", "test", "test");
}

static void
test_lookalike_init (TestLookalike * self)
{
}

static gboolean
register_test_elements (GstPlugin * plugin)
{
  return gst_element_register (plugin, "qsvtestmarked", GST_RANK_NONE,
      test_marked_get_type ()) &&
      gst_element_register (plugin, "qsvtestsubclass", GST_RANK_NONE,
      test_subclass_get_type ()) &&
      gst_element_register (plugin, "qsvtestlookalike", GST_RANK_NONE,
      test_lookalike_get_type ());
}

GST_START_TEST (test_reporter_by_factory)
{
  const gchar *yes[] = { "qsvtestmarked", "qsvtestsubclass" };
  const gchar *no[] = { "qsvtestlookalike", "identity", "bin" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (yes); i++) {
    GstElement *e = gst_element_factory_make (yes[i], NULL);

    fail_unless (e != NULL, "%s", yes[i]);
    fail_unless (gst_qsv_report_element_is_reporter (e), "%s", yes[i]);
    gst_object_unref (e);
  }
  for (i = 0; i < G_N_ELEMENTS (no); i++) {
    GstElement *e = gst_element_factory_make (no[i], NULL);

    fail_unless (e != NULL, "%s", no[i]);
    fail_if (gst_qsv_report_element_is_reporter (e), "%s", no[i]);
    gst_object_unref (e);
  }
  /* the mark is on the factory, where the registry keeps it */
  {
    GstElementFactory *f = gst_element_factory_find ("qsvtestsubclass");

    fail_unless (gst_element_factory_get_metadata (f,
            GST_QSV_REPORT_METADATA_KEY) != NULL);
    gst_object_unref (f);
  }
  /* an element made without a factory has none: not a reporter */
  {
    GstElement *bare = g_object_new (test_lookalike_get_type (), NULL);

    fail_if (gst_qsv_report_element_is_reporter (bare));
    gst_object_unref (bare);
  }
}

GST_END_TEST;

static Suite *
report_suite (void)
{
  Suite *s = suite_create ("report");
  TCase *tc = tcase_create ("general");

  gst_plugin_register_static (GST_VERSION_MAJOR, GST_VERSION_MINOR,
      "qsvtestreport", "test elements for the report", register_test_elements,
      "1.22.0", "LGPL", "tests", "gst-qsvautoenc", "tests");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_structure_round_trip);
  tcase_add_test (tc, test_odd_strings);
  tcase_add_test (tc, test_json_parsed_back);
  tcase_add_test (tc, test_reporter_by_factory);
  return s;
}

GST_CHECK_MAIN (report);
