/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The qsvautoenc-report tracer: its records (captured through a log
 * function) and its status file (parsed), with real encodes. Runs twice:
 * enabled through GST_TRACERS ($QSV_TRACER_MODE=env) and through the bin's
 * tracer property (=property). One process (CK_FORK=no): the tracer is per
 * process. */

#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "qsvtestutil.h"
#include "standins.h"
#include "gstqsvreport.h"

static GMutex records_lock;
static GPtrArray *records;      /* "qsvautoenc-..." record strings */

static void
capture (GstDebugCategory * category, GstDebugLevel level, const gchar * file,
    const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  const gchar *text;

  if (g_strcmp0 (gst_debug_category_get_name (category), "GST_TRACER") != 0)
    return;
  text = gst_debug_message_get (message);
  if (!g_str_has_prefix (text, "qsvautoenc-") || strstr (text, ".class"))
    return;
  g_mutex_lock (&records_lock);
  g_ptr_array_add (records, g_strdup (text));
  g_mutex_unlock (&records_lock);
}

/* the records of @name about element @element, as structures */
static GPtrArray *
records_of (const gchar * name, const gchar * element)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  guint i;

  g_mutex_lock (&records_lock);
  for (i = 0; i < records->len; i++) {
    GstStructure *s = gst_structure_from_string (g_ptr_array_index (records,
            i), NULL);

    if (s && gst_structure_has_name (s, name) &&
        g_strcmp0 (gst_structure_get_string (s, "element"), element) == 0)
      g_ptr_array_add (out, s);
    else if (s)
      gst_structure_free (s);
  }
  g_mutex_unlock (&records_lock);
  return out;
}

static gchar *
status_file (void)
{
  return g_build_filename (g_getenv ("QSV_TEST_TMPDIR"),
      g_str_equal (g_getenv ("QSV_TRACER_MODE"), "env") ? "tracer-env.json" :
      "tracer-property.json", NULL);
}

/* the status file's entry for @element; the parser is returned to free */
static JsonObject *
status_entry (const gchar * element, JsonParser ** parser)
{
  gchar *path = status_file ();
  GError *error = NULL;
  JsonArray *encoders;
  guint i;

  *parser = json_parser_new ();
  fail_unless (json_parser_load_from_file (*parser, path, &error), "%s: %s",
      path, error ? error->message : "");
  g_free (path);
  encoders = json_object_get_array_member (json_node_get_object
      (json_parser_get_root (*parser)), "encoders");
  for (i = 0; i < json_array_get_length (encoders); i++) {
    JsonObject *e = json_array_get_object_element (encoders, i);
    if (g_str_equal (json_object_get_string_member (e, "element"), element))
      return e;
  }
  return NULL;
}

/* Runs each description as its own pipeline, all at once, to EOS; then
 * stops them (which writes the status file) and hands them back. */
static GPtrArray *
run_pipelines (const gchar * first_desc, ...)
{
  GPtrArray *pipes = g_ptr_array_new_with_free_func (gst_object_unref);
  const gchar *desc;
  va_list ap;
  guint i;

  va_start (ap, first_desc);
  for (desc = first_desc; desc; desc = va_arg (ap, const gchar *)) {
    GstElement *p = gst_parse_launch (desc, NULL);

    fail_unless (p != NULL, "%s", desc);
    g_ptr_array_add (pipes, p);
  }
  va_end (ap);
  for (i = 0; i < pipes->len; i++)
    gst_element_set_state (g_ptr_array_index (pipes, i), GST_STATE_PLAYING);
  for (i = 0; i < pipes->len; i++) {
    GstElement *p = g_ptr_array_index (pipes, i);
    GstMessage *m = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (p),
        GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

    fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
    gst_message_unref (m);
  }
  for (i = 0; i < pipes->len; i++)
    gst_element_set_state (g_ptr_array_index (pipes, i), GST_STATE_NULL);
  return pipes;
}

static const gchar *
tracer_props (void)
{
  static gchar *props;

  if (!props && g_str_equal (g_getenv ("QSV_TRACER_MODE"), "property")) {
    gchar *file = status_file ();
    props = g_strdup_printf ("tracer=true tracer-file=\"%s\"", file);
    g_free (file);
  }
  return props ? props : "";
}

GST_START_TEST (test_records_and_status_file)
{
  gchar *a = g_strdup_printf ("videotestsrc num-buffers=30 ! qsvautoenc "
      "name=encA %s ! fakesink", tracer_props ());
  GPtrArray *pipes, *r;
  JsonParser *parser;
  JsonObject *e;

  /* two pipelines at once: one through qsvautoenc, one x264enc directly */
  pipes = run_pipelines (a, "videotestsrc num-buffers=20 ! x264enc "
      "name=plainB ! fakesink", NULL);

  r = records_of ("qsvautoenc-selection", "encA");
  fail_unless_equals_int (r->len, 1);
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "encoder"), "x264enc");
  g_ptr_array_unref (r);
  r = records_of ("qsvautoenc-selection", "plainB");
  fail_unless_equals_int (r->len, 1);
  g_ptr_array_unref (r);
  r = records_of ("qsvautoenc-totals", "encA");
  fail_unless_equals_int (r->len, 1);
  {
    guint64 in = 0, out = 0, bytes = 0;
    gst_structure_get_uint64 (g_ptr_array_index (r, 0), "frames-in", &in);
    gst_structure_get_uint64 (g_ptr_array_index (r, 0), "frames-out", &out);
    gst_structure_get_uint64 (g_ptr_array_index (r, 0), "bytes-out", &bytes);
    fail_unless_equals_int (in, 30);
    fail_unless_equals_int (out, 30);
    fail_unless (bytes > 0);
  }
  g_ptr_array_unref (r);
  r = records_of ("qsvautoenc-totals", "plainB");
  fail_unless_equals_int (r->len, 1);
  g_ptr_array_unref (r);

  /* the status file, written when the pipelines stopped */
  e = status_entry ("encA", &parser);
  fail_unless (e != NULL);
  fail_unless_equals_string (json_object_get_string_member (e, "kind"),
      "qsvautoenc");
  fail_unless_equals_string (json_object_get_string_member (e, "encoder"),
      "x264enc");
  fail_unless (!json_object_get_boolean_member (e, "hardware"));
  fail_unless (json_object_get_null_member (e, "device"));
  fail_unless_equals_int (json_object_get_int_member (e, "frames_in"), 30);
  fail_unless_equals_int (json_object_get_int_member (e, "frames_out"), 30);
  fail_unless (json_object_get_double_member (e, "fps") > 0);
  fail_unless (json_object_get_boolean_member (e, "finished"));
  g_object_unref (parser);
  e = status_entry ("plainB", &parser);
  fail_unless (e != NULL);
  fail_unless_equals_string (json_object_get_string_member (e, "kind"),
      "plain");
  fail_unless_equals_int (json_object_get_int_member (e, "frames_out"), 20);
  g_object_unref (parser);

  /* freed: still in the file, finished, with its totals, until the process
   * exits; no live encoder left */
  g_ptr_array_unref (pipes);
  e = status_entry ("encA", &parser);
  fail_unless (e != NULL);
  fail_unless (json_object_get_boolean_member (e, "finished"));
  fail_unless_equals_int (json_object_get_int_member (e, "frames_out"), 30);
  fail_unless_equals_int (json_object_get_int_member (json_node_get_object
          (json_parser_get_root (parser)), "live_encoders"), 0);
  fail_unless_equals_string (json_object_get_string_member
      (json_node_get_object (json_parser_get_root (parser)), "health"),
      "idle");
  g_object_unref (parser);
  g_free (a);
}

GST_END_TEST;

static GMutex go_lock;
static GCond go_cond;
static gboolean started;

static gpointer
to_ready (gpointer data)
{
  GstElement *e = data;

  g_mutex_lock (&go_lock);
  while (!started)
    g_cond_wait (&go_cond, &go_lock);
  g_mutex_unlock (&go_lock);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  return NULL;
}

/* Elements with tracer=true reaching READY in many threads at once install
 * exactly one tracer. (First test of the property run: none before.) */
GST_START_TEST (test_one_tracer_from_threads)
{
  GstElement *enc[8];
  GThread *t[8];
  GList *tracers, *l;
  gchar *file = status_file ();
  guint i, n = 0;

  g_unlink (file);              /* from an earlier run */
  for (i = 0; i < G_N_ELEMENTS (enc); i++) {
    enc[i] = gst_element_factory_make ("qsvautoenc", NULL);
    g_object_set (enc[i], "tracer", TRUE, "tracer-file", file, NULL);
    t[i] = g_thread_new ("to-ready", to_ready, enc[i]);
  }
  g_mutex_lock (&go_lock);
  started = TRUE;
  g_cond_broadcast (&go_cond);
  g_mutex_unlock (&go_lock);
  for (i = 0; i < G_N_ELEMENTS (enc); i++) {
    g_thread_join (t[i]);
    gst_element_set_state (enc[i], GST_STATE_NULL);
    gst_object_unref (enc[i]);
  }
  tracers = gst_tracing_get_active_tracers ();
  for (l = tracers; l; l = l->next)
    n += g_str_equal (G_OBJECT_TYPE_NAME (l->data), "GstQsvReportTracer");
  g_list_free_full (tracers, gst_object_unref);
  fail_unless_equals_int (n, 1);
  /* READY is no encoding: no status file yet */
  fail_if (g_file_test (file, G_FILE_TEST_EXISTS));
  g_free (file);
}

GST_END_TEST;

/* Hooks of the second tracer (GST_TRACERS lists two: JSON and
 * Prometheus) log no records of their own: each test above sees one. The
 * Prometheus file escapes label values. */
GST_START_TEST (test_prometheus_labels)
{
  GstElement *pipe = gst_pipeline_new ("pro\\me\"theus");
  GstElement *src = gst_element_factory_make ("videotestsrc", NULL);
  GstElement *enc = gst_element_factory_make ("qsvautoenc", "we\"ird\nname");
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  gchar *path = g_build_filename (g_getenv ("QSV_TEST_TMPDIR"),
      "tracer-env.prom", NULL);
  gchar *text = NULL;
  GstMessage *m;

  g_object_set (src, "num-buffers", 5, NULL);
  gst_bin_add_many (GST_BIN (pipe), src, enc, sink, NULL);
  fail_unless (gst_element_link_many (src, enc, sink, NULL));
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe), GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
  fail_unless (g_file_get_contents (path, &text, NULL, NULL));
  fail_unless (strstr (text, "qsvautoenc_frames_out_total{element=\"we\\\"ird"
          "\\nname\",pipeline=\"pro\\\\me\\\"theus\"} 5\n") != NULL, "%s",
      text);
  g_free (text);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_fallback_record)
{
  gchar *scratch = qsv_test_scratch_new ();
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=15 ! qsvautoenc "
      "name=encF %s ! fakesink", tracer_props ());
  GPtrArray *pipes, *r;
  JsonParser *parser;
  JsonObject *e;

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=slice,lp"));
  qsv_test_use_fake_driver ();
  standin_set_mode ("qsvh264enc", STANDIN_ERROR_FIRST_BUFFER);
  standin_set_mode ("vah264enc", STANDIN_FAIL_READY);
  standin_set_mode ("vah264lpenc", STANDIN_FAIL_READY);
  standin_set_mode ("vaapih264enc", STANDIN_FAIL_READY);
  pipes = run_pipelines (desc, NULL);

  r = records_of ("qsvautoenc-selection", "encF");
  fail_unless_equals_int (r->len, 1);
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "encoder"), "qsvh264enc");
  g_ptr_array_unref (r);
  r = records_of ("qsvautoenc-fallback", "encF");
  fail_unless_equals_int (r->len, 1);
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "failed"), "qsvh264enc");
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "encoder"), "x264enc");
  g_ptr_array_unref (r);

  e = status_entry ("encF", &parser);
  fail_unless_equals_string (json_object_get_string_member (e, "encoder"),
      "x264enc");
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (e, "fallbacks")), 1);
  /* the selection report's rejected list: all four hardware candidates */
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (e, "rejected")), 4);
  fail_unless_equals_int (json_object_get_int_member (e, "frames_out"), 15);
  g_object_unref (parser);

  g_ptr_array_unref (pipes);
  g_free (desc);
  qsv_test_scratch_free (scratch);
}

GST_END_TEST;

GST_START_TEST (test_invalid_params)
{
  GType type = g_type_from_name ("GstQsvReportTracer");
  const gchar *bad[] = { "interval=abc", "interval=0", "bogus=1", "file=",
    "not a structure ,,==", "format=xml"
  };
  guint i;

  fail_unless (type != 0);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GObject *t;

    /* a clear warning, no crash; tracers stay for the process */
    ASSERT_WARNING (t = g_object_new (type, "params", bad[i], NULL));
    fail_unless (t != NULL);
  }
}

GST_END_TEST;

/* Reporters are told by their factory, not their type: a bin of another
 * GType whose factory carries the report mark (as qsvautoenc's and, later,
 * its H.265 sibling's do) is watched; a bin posting the same messages with
 * a look-alike `selection-report` property but no mark is not. */
typedef GstBin TestReporter;
typedef GstBinClass TestReporterClass;
typedef GstBin TestLookalike;
typedef GstBinClass TestLookalikeClass;
static GType test_reporter_get_type (void);
static GType test_lookalike_get_type (void);
G_DEFINE_TYPE (TestReporter, test_reporter, GST_TYPE_BIN);
G_DEFINE_TYPE (TestLookalike, test_lookalike, GST_TYPE_BIN);

/* posts what qsvautoenc posts: a selection at NULL->READY, a fallback at
 * READY->PAUSED */
static void
post_report (GstElement * element, GstStateChange transition)
{
  GstQsvReport *r = gst_qsv_report_new ();
  gboolean fallback = transition == GST_STATE_CHANGE_READY_TO_PAUSED;

  if (transition != GST_STATE_CHANGE_NULL_TO_READY && !fallback)
    goto done;
  r->encoder = g_strdup (fallback ? "vah264lpenc" : "vah264enc");
  r->hardware = TRUE;
  r->device = g_strdup ("/dev/dri/renderD128");
  r->driver = g_strdup ("iHD");
  r->rate_control = g_strdup ("cqp");
  r->va_status = g_strdup ("ok");
  r->reason = g_strdup ("test");
  gst_qsv_report_add_rejected (r, "qsvh264enc", "needs an Intel GPU");
  if (fallback)
    gst_qsv_report_add_fallback (r, "vah264enc", "vah264lpenc", "it broke");
  gst_element_post_message (element, gst_message_new_element (GST_OBJECT
          (element), gst_qsv_report_to_structure (r, fallback ?
              GST_QSV_REPORT_FALLBACK : GST_QSV_REPORT_SELECTED)));
done:
  gst_qsv_report_free (r);
}

static GstStateChangeReturn
reporter_change_state (GstElement * element, GstStateChange transition)
{
  post_report (element, transition);
  return GST_ELEMENT_CLASS (test_reporter_parent_class)->change_state
      (element, transition);
}

static void
test_reporter_class_init (TestReporterClass * klass)
{
  GST_ELEMENT_CLASS (klass)->change_state = reporter_change_state;
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "reporter", "Codec/Encoder/Video", "test", "test");
  gst_qsv_report_mark_element_class (GST_ELEMENT_CLASS (klass));
}

static void
test_reporter_init (TestReporter * self)
{
}

static GstStateChangeReturn
lookalike_change_state (GstElement * element, GstStateChange transition)
{
  post_report (element, transition);
  return GST_ELEMENT_CLASS (test_lookalike_parent_class)->change_state
      (element, transition);
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
  GST_ELEMENT_CLASS (klass)->change_state = lookalike_change_state;
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
  return gst_element_register (plugin, "qsvtestreporter", GST_RANK_NONE,
      test_reporter_get_type ()) &&
      gst_element_register (plugin, "qsvtestlookalike", GST_RANK_NONE,
      test_lookalike_get_type ());
}

GST_START_TEST (test_reporter_by_factory)
{
  GstElement *pipe = gst_pipeline_new ("reporterpipe");
  GstElement *rep = gst_element_factory_make ("qsvtestreporter", "repT");
  GstElement *look = gst_element_factory_make ("qsvtestlookalike", "lookL");
  GPtrArray *r;
  JsonParser *parser;
  JsonObject *e;

  fail_unless (rep && look);
  gst_bin_add_many (GST_BIN (pipe), rep, look, NULL);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PAUSED),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);

  r = records_of ("qsvautoenc-selection", "repT");
  fail_unless_equals_int (r->len, 1);
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "encoder"), "vah264enc");
  g_ptr_array_unref (r);
  /* the fallback record: failed-encoder, and failed, its older name */
  r = records_of ("qsvautoenc-fallback", "repT");
  fail_unless_equals_int (r->len, 1);
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "failed-encoder"), "vah264enc");
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "failed"), "vah264enc");
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index (r,
              0), "error"), "it broke");
  g_ptr_array_unref (r);
  r = records_of ("qsvautoenc-totals", "repT");
  fail_unless_equals_int (r->len, 1);
  g_ptr_array_unref (r);

  e = status_entry ("repT", &parser);
  fail_unless (e != NULL);
  fail_unless_equals_string (json_object_get_string_member (e, "kind"),
      "qsvautoenc");
  fail_unless_equals_string (json_object_get_string_member (e, "encoder"),
      "vah264lpenc");
  /* the report's own field names in the file */
  fail_unless_equals_string (json_object_get_string_member (e, "driver"),
      "iHD");
  fail_unless_equals_string (json_object_get_string_member (e,
          "rate_control"), "cqp");
  fail_unless_equals_string (json_object_get_string_member (e, "va_status"),
      "ok");
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (e, "fallbacks")), 1);
  g_object_unref (parser);

  /* the look-alike: no record, no entry */
  r = records_of ("qsvautoenc-selection", "lookL");
  fail_unless_equals_int (r->len, 0);
  g_ptr_array_unref (r);
  r = records_of ("qsvautoenc-fallback", "lookL");
  fail_unless_equals_int (r->len, 0);
  g_ptr_array_unref (r);
  fail_unless (status_entry ("lookL", &parser) == NULL);
  g_object_unref (parser);

  gst_object_unref (pipe);
}

GST_END_TEST;

static Suite *
tracer_suite (void)
{
  Suite *s = suite_create ("tracer");
  TCase *tc = tcase_create ("general");
  GstPluginFeature *f;

  /* the status file's folder: GST_TRACERS names it before any test runs,
   * and no other test may be relied on to have made it */
  g_mkdir_with_parents (g_getenv ("QSV_TEST_TMPDIR"), 0755);
  records = g_ptr_array_new_with_free_func (g_free);
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (capture, NULL, NULL);
  gst_debug_set_threshold_for_name ("GST_TRACER", GST_LEVEL_TRACE);
  standins_register ();
  gst_plugin_register_static (GST_VERSION_MAJOR, GST_VERSION_MINOR,
      "qsvtestreporters", "reporter test elements", register_test_elements,
      "1.22.0", "LGPL", "tests", "gst-qsvautoenc", "tests");
  /* the tracer type is in the plugin: load it */
  f = gst_registry_lookup_feature (gst_registry_get (), "qsvautoenc");
  gst_object_unref (gst_plugin_feature_load (f));
  gst_object_unref (f);

  suite_add_tcase (s, tc);
  if (g_str_equal (g_getenv ("QSV_TRACER_MODE"), "property"))
    tcase_add_test (tc, test_one_tracer_from_threads);
  tcase_add_test (tc, test_records_and_status_file);
  if (g_str_equal (g_getenv ("QSV_TRACER_MODE"), "env")) {
    /* the stand-ins are chosen only where the VA probe is built */
    if (g_strcmp0 (g_getenv ("QSV_VA_BUILT"), "1") == 0)
      tcase_add_test (tc, test_fallback_record);
    tcase_add_test (tc, test_invalid_params);
    tcase_add_test (tc, test_prometheus_labels);
    tcase_add_test (tc, test_reporter_by_factory);
  }
  return s;
}

GST_CHECK_MAIN (tracer);
