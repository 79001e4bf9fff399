/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The render node travels with the candidate, on one GPU and on two:
 * fake nodes (libfakedrm, one fakeva configuration per node file) and
 * stand-ins registered as GStreamer 1.22 registers the real encoders on such
 * a machine (per test: each test runs in its own process):
 *  - sys/va (gstvadevice.c gst_va_device_find_devices, gstvah264enc.c
 *    gst_va_h264_enc_register): the nodes where a VA display opens are
 *    numbered in path order; index 0 registers vah264enc/vah264lpenc, the
 *    others va<node>h264enc/va<node>h264lpenc; a node without the
 *    entrypoint registers nothing;
 *  - sys/qsv (gstqsvh264enc.cpp gst_qsv_h264_enc_register): the first Intel
 *    GPU that can encode gets qsvh264enc, the next qsvh264device1enc;
 *  - gstreamer-vaapi: one vaapih264enc, on the node it opens itself.
 * And an explicitly chosen node that cannot be used is said in a WARNING. */

#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>

#include <unistd.h>
#include <glib/gstdio.h>
#include "qsvtestutil.h"
#include "standins.h"

static gchar *scratch;

static void
setup (void)
{
  scratch = qsv_test_scratch_new ();
  g_setenv ("XDG_RUNTIME_DIR", scratch, TRUE);
  qsv_test_use_fake_driver ();
  g_unsetenv ("QSVAUTOENC_DEVICE");
  g_unsetenv ("FAKEDRM_OPEN_ERRNO");
  g_unsetenv ("GST_VAAPI_DRM_DEVICE");
}

static void
teardown (void)
{
  /* the scratch folder stays (under build/): the tracer the element
   * installed lives as long as the process and may still be writing its
   * status file there, and a folder removed under it is a warning */
  g_free (scratch);
  scratch = NULL;
}

static gchar *
node (const gchar * name)
{
  return g_build_filename (scratch, "dri", name, NULL);
}

typedef struct
{
  gchar *encoder, *device;
  gboolean hardware;
  GstStructure *report;
  GPtrArray *warnings;          /* gchar*: the WARNINGs' texts */
  gchar *status_file;
  gchar *status;                /* its text once the pipeline stopped */
  gchar *pipeline;              /* the pipeline's name, in that file */
} Run;

static void
run_free (Run * run)
{
  g_free (run->encoder);
  g_free (run->device);
  if (run->report)
    gst_structure_free (run->report);
  g_ptr_array_unref (run->warnings);
  g_free (run->status_file);
  g_free (run->status);
  g_free (run->pipeline);
  g_free (run);
}

/* Encodes 5 frames through qsvautoenc with @props, to EOS. */
static Run *
run_encode (const gchar * props)
{
  Run *run = g_new0 (Run, 1);
  gchar *desc;
  GstElement *pipe, *enc;
  GstBus *bus;
  GstMessage *m;
  GError *error = NULL;
  gboolean done = FALSE;

  run->warnings = g_ptr_array_new_with_free_func (g_free);
  run->status_file = g_build_filename (scratch, "status.json", NULL);
  desc = g_strdup_printf ("videotestsrc num-buffers=5 ! video/x-raw,"
      "format=NV12,width=64,height=48,framerate=30/1 ! qsvautoenc name=enc "
      "tracer=true tracer-file=\"%s\" %s ! fakesink", run->status_file, props);
  pipe = gst_parse_launch (desc, &error);
  fail_unless (pipe != NULL, "%s: %s", desc, error ? error->message : "");
  g_free (desc);
  run->pipeline = gst_object_get_name (GST_OBJECT (pipe));
  bus = gst_element_get_bus (pipe);
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while (!done) {
    m = gst_bus_timed_pop (bus, GST_CLOCK_TIME_NONE);
    switch (GST_MESSAGE_TYPE (m)) {
      case GST_MESSAGE_WARNING:{
        GError *err;
        gchar *dbg;

        gst_message_parse_warning (m, &err, &dbg);
        g_ptr_array_add (run->warnings, g_strdup_printf ("%s (%s)",
                err->message, dbg ? dbg : ""));
        g_error_free (err);
        g_free (dbg);
        break;
      }
      case GST_MESSAGE_ERROR:{
        GError *err;

        gst_message_parse_error (m, &err, NULL);
        fail ("error: %s", err->message);
        break;
      }
      case GST_MESSAGE_EOS:
        done = TRUE;
        break;
      default:
        break;
    }
    gst_message_unref (m);
  }
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  g_object_get (enc, "active-encoder", &run->encoder, "hardware",
      &run->hardware, "active-device", &run->device, "selection-report",
      &run->report, NULL);
  gst_object_unref (enc);
  /* stopping writes the file; once the pipeline is gone, so is its entry */
  gst_element_set_state (pipe, GST_STATE_NULL);
  fail_unless (g_file_get_contents (run->status_file, &run->status, NULL,
          NULL));
  gst_object_unref (bus);
  gst_object_unref (pipe);
  return run;
}

/* the tracer's status file names the node too */
static void
check_status_file (Run * run, const gchar * device)
{
  JsonParser *parser = json_parser_new ();
  JsonArray *encoders;
  JsonObject *e = NULL;
  GError *error = NULL;
  guint i;

  fail_unless (json_parser_load_from_data (parser, run->status, -1, &error),
      "%s", error ? error->message : "");
  encoders = json_object_get_array_member (json_node_get_object
      (json_parser_get_root (parser)), "encoders");
  /* the file lists every pipeline the process ran: this run's */
  for (i = 0; i < json_array_get_length (encoders); i++) {
    JsonObject *o = json_array_get_object_element (encoders, i);

    if (g_strcmp0 (json_object_get_string_member (o, "pipeline"),
            run->pipeline) == 0)
      e = o;
  }
  fail_unless (e != NULL, "%s not in %s", run->pipeline, run->status);
  fail_unless_equals_string (json_object_get_string_member (e, "encoder"),
      run->encoder);
  if (device) {
    fail_unless_equals_string (json_object_get_string_member (e, "device"),
        device);
  } else {
    fail_unless (json_object_get_null_member (e, "device"));
  }
  g_object_unref (parser);
}

static void
check_on (Run * run, const gchar * encoder, const gchar * device)
{
  fail_unless_equals_string (run->encoder, encoder);
  fail_unless (run->hardware);
  fail_unless_equals_string (run->device, device);
  fail_unless_equals_string (gst_structure_get_string (run->report, "device"),
      device);
  fail_unless (strstr (gst_structure_get_string (run->report, "reason"),
          device) != NULL, "%s", gst_structure_get_string (run->report,
          "reason"));
  check_status_file (run, device);
  fail_unless_equals_int (run->warnings->len, 0);
}

static gboolean
rejected (Run * run, const gchar * text)
{
  const GValue *arr = gst_structure_get_value (run->report, "rejected");
  guint i;

  for (i = 0; i < gst_value_array_get_size (arr); i++) {
    if (strstr (g_value_get_string (gst_value_array_get_value (arr, i)),
            text))
      return TRUE;
  }
  return FALSE;
}

static void
register_both_nodes (void)
{
  standin_register_device ("vah264enc", "vah264enc", "renderD128");
  standin_register_device ("vah264lpenc", "vah264lpenc", "renderD128");
  standin_register_device ("vah264enc", "varenderD129h264enc", "renderD129");
  standin_register_device ("vah264lpenc", "varenderD129h264lpenc",
      "renderD129");
  standin_register_device ("qsvh264enc", "qsvh264enc", "renderD128");
  standin_register_device ("qsvh264enc", "qsvh264device1enc", "renderD129");
  standin_register_device ("vaapih264enc", "vaapih264enc", NULL);
}

/* 1.22 qsvh264enc answers device-path from its class data before READY;
 * under device=auto it is chosen, on the node the probe found. */
GST_START_TEST (test_qsv_chosen_under_auto)
{
  gchar *n128 = node ("renderD128");
  GstElement *qsv;
  gchar *path = NULL;
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=slice,lp"));
  standin_register_device ("qsvh264enc", "qsvh264enc", "renderD128");
  standin_register_device ("vah264enc", "vah264enc", "renderD128");

  qsv = gst_element_factory_make ("qsvh264enc", NULL);
  g_object_get (qsv, "device-path", &path, NULL);
  fail_unless_equals_string (path, n128);
  g_free (path);
  gst_object_unref (qsv);

  run = run_encode ("");
  check_on (run, "qsvh264enc", n128);
  run_free (run);
  run = run_encode ("device=auto");
  check_on (run, "qsvh264enc", n128);
  run_free (run);
  /* the same node named explicitly */
  {
    gchar *props = g_strdup_printf ("device=\"%s\"", n128);

    run = run_encode (props);
    check_on (run, "qsvh264enc", n128);
    run_free (run);
    g_free (props);
  }
  g_free (n128);
}

GST_END_TEST;

/* The first node has VA but no H.264 encode, the second has both: auto
 * encodes on the second, through that node's factories. */
GST_START_TEST (test_first_node_without_encode)
{
  gchar *n129 = node ("renderD129"), *props;
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=none"));
  g_free (qsv_test_make_node (scratch, "renderD129", "entrypoints=slice,lp"));
  /* renderD128 opens a VA display (index 0) but registers no encoder */
  standin_register_device ("vah264enc", "varenderD129h264enc", "renderD129");
  standin_register_device ("vah264lpenc", "varenderD129h264lpenc",
      "renderD129");
  standin_register_device ("qsvh264enc", "qsvh264enc", "renderD129");
  standin_register_device ("vaapih264enc", "vaapih264enc", NULL);

  run = run_encode ("");
  check_on (run, "qsvh264enc", n129);
  run_free (run);

  run = run_encode ("encoder=vah264enc");
  check_on (run, "varenderD129h264enc", n129);
  run_free (run);
  run = run_encode ("encoder=vah264lpenc");
  check_on (run, "varenderD129h264lpenc", n129);
  run_free (run);

  /* gstreamer-vaapi would open renderD128 (VA works there): not a
   * candidate; with the others failing, software */
  standin_set_mode ("qsvh264enc", STANDIN_FAIL_READY);
  standin_set_mode ("varenderD129h264enc", STANDIN_FAIL_READY);
  standin_set_mode ("varenderD129h264lpenc", STANDIN_FAIL_READY);
  run = run_encode ("");
  fail_unless_equals_string (run->encoder, "x264enc");
  fail_unless (rejected (run, "vaapih264enc: would open"));
  check_status_file (run, NULL);
  run_free (run);

  /* device= names the second node: the same, said the same way */
  props = g_strdup_printf ("device=\"%s\"", n129);
  standin_set_mode ("qsvh264enc", STANDIN_OK);
  run = run_encode (props);
  check_on (run, "qsvh264enc", n129);
  run_free (run);
  g_free (props);
  g_free (n129);
}

GST_END_TEST;

/* Both nodes encode: auto takes the first; device= selects either, through
 * that node's factory. */
GST_START_TEST (test_both_nodes_encode)
{
  gchar *n128 = node ("renderD128"), *n129 = node ("renderD129"), *props;
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=slice,lp"));
  g_free (qsv_test_make_node (scratch, "renderD129", "entrypoints=slice,lp"));
  register_both_nodes ();

  run = run_encode ("");
  check_on (run, "qsvh264enc", n128);
  run_free (run);

  props = g_strdup_printf ("device=\"%s\"", n129);
  run = run_encode (props);
  check_on (run, "qsvh264device1enc", n129);
  run_free (run);
  g_free (props);

  props = g_strdup_printf ("device=\"%s\" encoder=vah264enc", n129);
  run = run_encode (props);
  check_on (run, "varenderD129h264enc", n129);
  run_free (run);
  g_free (props);

  props = g_strdup_printf ("device=\"%s\" encoder=vah264lpenc", n128);
  run = run_encode (props);
  check_on (run, "vah264lpenc", n128);
  run_free (run);
  g_free (props);

  /* a udev link (/dev/dri/by-path/...-render) to the second node: that
   * node's factory, named after the node it points at */
  {
    gchar *link = g_build_filename (scratch, "pci-0000:03:00.0-render",
        NULL);

    fail_unless (symlink (n129, link) == 0);
    props = g_strdup_printf ("device=\"%s\" encoder=vah264enc", link);
    run = run_encode (props);
    check_on (run, "varenderD129h264enc", link);
    run_free (run);
    g_free (props);
    g_unlink (link);
    g_free (link);
  }

  /* vaapih264enc opens the first node where VA works: a candidate on
   * renderD128 only (unless GST_VAAPI_DRM_DEVICE says otherwise) */
  standin_set_mode ("qsvh264enc", STANDIN_FAIL_READY);
  standin_set_mode ("qsvh264device1enc", STANDIN_FAIL_READY);
  standin_set_mode ("vah264enc", STANDIN_FAIL_READY);
  standin_set_mode ("vah264lpenc", STANDIN_FAIL_READY);
  standin_set_mode ("varenderD129h264enc", STANDIN_FAIL_READY);
  standin_set_mode ("varenderD129h264lpenc", STANDIN_FAIL_READY);
  run = run_encode ("");
  check_on (run, "vaapih264enc", n128);
  run_free (run);
  props = g_strdup_printf ("device=\"%s\"", n129);
  run = run_encode (props);
  fail_unless_equals_string (run->encoder, "x264enc");
  fail_unless (rejected (run, "vaapih264enc: picks its own render node"));
  g_setenv ("GST_VAAPI_DRM_DEVICE", n129, TRUE);
  run_free (run);
  run = run_encode (props);
  check_on (run, "vaapih264enc", n129);
  run_free (run);
  g_free (props);
  g_free (n128);
  g_free (n129);
}

GST_END_TEST;

/* A VA encoder of another node (the plain name, registered for index 0,
 * where the per-node one is missing) is caught at READY, when it knows its
 * node. */
GST_START_TEST (test_va_node_checked_at_ready)
{
  gchar *n129 = node ("renderD129"), *props;
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=slice,lp"));
  g_free (qsv_test_make_node (scratch, "renderD129", "entrypoints=slice,lp"));
  standin_register_device ("vah264enc", "vah264enc", "renderD128");
  props = g_strdup_printf ("device=\"%s\"", n129);
  run = run_encode (props);
  fail_unless_equals_string (run->encoder, "x264enc");
  fail_unless (rejected (run, "vah264enc: drives "), "%s",
      gst_structure_to_string (run->report));
  fail_unless (rejected (run, "not the probed device"));
  run_free (run);
  g_free (props);
  g_free (n129);
}

GST_END_TEST;

static gboolean
warned (Run * run, const gchar * a, const gchar * b)
{
  guint i;

  for (i = 0; i < run->warnings->len; i++) {
    const gchar *w = g_ptr_array_index (run->warnings, i);
    if (strstr (w, a) && (!b || strstr (w, b)))
      return TRUE;
  }
  return FALSE;
}

/* device= (or $QSVAUTOENC_DEVICE) that cannot be honoured is said before
 * encoding in software; with auto and no GPU, nothing is said. */
GST_START_TEST (test_explicit_choice_warns)
{
  gchar *n128 = node ("renderD128"), *n129 = node ("renderD129"), *props;
  Run *run;

  register_both_nodes ();

  /* auto, no GPU: software, quietly */
  run = run_encode ("");
  fail_unless_equals_string (run->encoder, "x264enc");
  fail_unless_equals_int (run->warnings->len, 0);
  run_free (run);

  run = run_encode ("device=/nonexistent/renderD128");
  fail_unless_equals_string (run->encoder, "x264enc");
  fail_unless (warned (run, "/nonexistent/renderD128", "no-device"), "%s",
      run->warnings->len ? (gchar *) g_ptr_array_index (run->warnings, 0) :
      "no warning");
  run_free (run);

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=none"));
  props = g_strdup_printf ("device=\"%s\"", n128);
  run = run_encode (props);
  fail_unless_equals_string (run->encoder, "x264enc");
  fail_unless (warned (run, n128, "no-h264-encode"));
  fail_unless (warned (run, "encoding in software with x264enc", NULL));
  run_free (run);
  g_free (props);

  g_free (qsv_test_make_node (scratch, "renderD129", "entrypoints=slice"));
  g_setenv ("FAKEDRM_OPEN_ERRNO", "renderD129=EACCES", TRUE);
  g_setenv ("QSVAUTOENC_DEVICE", n129, TRUE);
  run = run_encode ("");
  fail_unless_equals_string (run->encoder, "x264enc");
  fail_unless (warned (run, n129, "permission-denied"));
  fail_unless (warned (run, "group", NULL));
  run_free (run);
  g_unsetenv ("QSVAUTOENC_DEVICE");
  g_unsetenv ("FAKEDRM_OPEN_ERRNO");

  /* a node that is not a DRM device is not even opened, and said */
  run = run_encode ("device=/dev/null");
  fail_unless (warned (run, "/dev/null", "not-drm-device"));
  run_free (run);

  /* a usable node, chosen by name: nothing to say */
  props = g_strdup_printf ("device=\"%s\"", n129);
  run = run_encode (props);
  check_on (run, "qsvh264device1enc", n129);
  run_free (run);
  g_free (props);
  g_free (n128);
  g_free (n129);
}

GST_END_TEST;

static Suite *
multigpu_suite (void)
{
  Suite *s = suite_create ("multigpu");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  if (g_strcmp0 (g_getenv ("QSV_VA_BUILT"), "1") == 0) {
    tcase_add_test (tc, test_qsv_chosen_under_auto);
    tcase_add_test (tc, test_first_node_without_encode);
    tcase_add_test (tc, test_both_nodes_encode);
    tcase_add_test (tc, test_va_node_checked_at_ready);
    tcase_add_test (tc, test_explicit_choice_warns);
  }
  return s;
}

GST_CHECK_MAIN (multigpu);
