/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* qsvautoenc-probe as a health check runs it: exit status, report, and the
 * JSON parsed (json-glib) and checked field by field. */

#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "qsvtestutil.h"

static gchar *scratch;
/* without any GStreamer plugin: the probe alone decides */
static gboolean no_plugins;

/* run the command as an application that ignores SIGCHLD would (the
 * disposition is inherited across exec) */
static gboolean ignore_sigchld;

typedef struct
{
  gint status;
  gchar *out;
  gchar *err;
  JsonParser *parser;
  JsonObject *root;
} Run;

static void
setup (void)
{
  no_plugins = FALSE;
  ignore_sigchld = FALSE;
  scratch = qsv_test_scratch_new ();
  g_setenv ("XDG_RUNTIME_DIR", scratch, TRUE);
  qsv_test_use_fake_driver ();
  g_unsetenv ("QSVAUTOENC_DEVICE");
  g_unsetenv ("FAKEDRM_OPEN_ERRNO");
}

static void
teardown (void)
{
  qsv_test_scratch_free (scratch);
}

static void
child_setup (gpointer data)
{
  if (ignore_sigchld)
    signal (SIGCHLD, SIG_IGN);
}

/* Runs the command with @args (NULL-terminated); parses stdout as JSON when
 * --json is among them. */
static Run *
run_probe (const gchar * first, ...)
{
  gchar **envp = g_get_environ ();
  GPtrArray *argv = g_ptr_array_new ();
  Run *run = g_new0 (Run, 1);
  GError *error = NULL;
  const gchar *arg;
  gboolean json = FALSE;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("QSV_PROBE_CMD"));
  va_start (ap, first);
  for (arg = first; arg; arg = va_arg (ap, const gchar *)) {
    g_ptr_array_add (argv, (gpointer) arg);
    json |= g_str_equal (arg, "--json");
  }
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  if (no_plugins) {
    envp = g_environ_unsetenv (envp, "GST_PLUGIN_PATH_1_0");
    envp = g_environ_setenv (envp, "GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);
    envp = g_environ_setenv (envp, "GST_REGISTRY_1_0",
        g_getenv ("QSV_TEST_EMPTY_REGISTRY"), TRUE);
  }
  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, envp,
          G_SPAWN_DEFAULT, child_setup, NULL, &run->out, &run->err,
          &run->status,
          &error), "%s", error ? error->message : "");
  fail_unless (WIFEXITED (run->status), "wait status %d: %s", run->status,
      run->err);
  run->status = WEXITSTATUS (run->status);
  g_ptr_array_unref (argv);
  g_strfreev (envp);

  if (json) {
    run->parser = json_parser_new ();
    fail_unless (json_parser_load_from_data (run->parser, run->out, -1,
            &error), "not JSON (%s): %s", error ? error->message : "",
        run->out);
    fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (run->parser)));
    run->root = json_node_get_object (json_parser_get_root (run->parser));
  }
  return run;
}

static void
run_free (Run * run)
{
  g_free (run->out);
  g_free (run->err);
  g_clear_object (&run->parser);
  g_free (run);
}

GST_START_TEST (test_no_device_exit_1)
{
  Run *run = run_probe ("--json", NULL);

  fail_unless_equals_int (run->status, 1);
  fail_unless (json_object_get_boolean_member (run->root, "va_built"));
  fail_unless (!json_object_get_boolean_member (run->root, "hardware"));
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "no-device");
  fail_unless (json_object_get_null_member (run->root, "device"));
  fail_unless (strstr (json_object_get_string_member (run->root, "message"),
          "renderD128..191") != NULL);
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (run->root, "devices")), 0);
  run_free (run);

  run = run_probe (NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless (strstr (run->out, "Hardware H.264 encode: no (no-device)"),
      "%s", run->out);
  if (g_getenv ("GST_PLUGIN_PATH_1_0"))
    fail_unless (strstr (run->out, "qsvautoenc would use: x264enc") != NULL,
        "%s", run->out);
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_hardware_exit_0)
{
  gchar *node = qsv_test_make_node (scratch, "renderD128",
      "entrypoints=slice,lp;rc_lp=cqp;max=4096x2304");
  JsonObject *dev, *lp, *slice, *high, *element;
  JsonArray *rc;
  Run *run;

  /* the probe alone (qsvautoenc not installed) */
  no_plugins = TRUE;
  run = run_probe ("--json", NULL);
  element = json_object_get_object_member (run->root, "qsvautoenc");
  fail_unless (!json_object_get_boolean_member (element, "installed"));

  fail_unless_equals_int (run->status, 0);
  fail_unless (json_object_get_boolean_member (run->root, "hardware"));
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "ok");
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "device"), node);
  dev = json_array_get_object_element (json_object_get_array_member
      (run->root, "devices"), 0);
  fail_unless_equals_string (json_object_get_string_member (dev, "path"), node);
  fail_unless_equals_string (json_object_get_string_member (dev,
          "va_driver"), "fakeva");
  fail_unless_equals_string (json_object_get_string_member (dev,
          "kernel_driver"), "i915");
  fail_unless_equals_int (json_object_get_int_member (dev, "errno"), 0);
  fail_unless (json_object_get_int_member (dev, "probe_time_us") > 0);
  fail_unless (g_str_has_prefix (json_object_get_string_member (dev,
              "va_api_version"), "1."));

  lp = json_object_get_object_member (json_object_get_object_member (dev,
          "h264_encode"), "EncSliceLP");
  high = json_object_get_object_member (lp, "high");
  rc = json_object_get_array_member (high, "rate_control");
  fail_unless_equals_int (json_array_get_length (rc), 1);
  fail_unless_equals_string (json_array_get_string_element (rc, 0), "cqp");
  fail_unless_equals_int (json_object_get_int_member (high, "max_width"), 4096);
  fail_unless_equals_int (json_object_get_int_member (high, "max_height"),
      2304);
  slice = json_object_get_object_member (json_object_get_object_member (dev,
          "h264_encode"), "EncSlice");
  fail_unless_equals_int (json_object_get_size (slice), 3);
  rc = json_object_get_array_member (json_object_get_object_member (slice,
          "main"), "rate_control");
  fail_unless_equals_int (json_array_get_length (rc), 3);
  run_free (run);

  run = run_probe (NULL);
  fail_unless_equals_int (run->status, 0);
  fail_unless (strstr (run->out, "Hardware H.264 encode: yes") != NULL);
  fail_unless (strstr (run->out, "qsvautoenc would use: nothing (the "
          "qsvautoenc element is not installed") != NULL, "%s", run->out);
  fail_unless (strstr (run->out, "cqp up to 4096x2304") != NULL, "%s",
      run->out);
  run_free (run);
  g_free (node);
}

GST_END_TEST;

/* The GPU can encode, but no VA encoder element is registered (no
 * umockdev here): qsvautoenc would encode in software, so not healthy. */
GST_START_TEST (test_hardware_but_element_uses_software)
{
  JsonObject *element;
  JsonArray *rejected;
  Run *run;
  gboolean found = FALSE;
  guint i;

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=lp"));
  run = run_probe ("--json", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless (json_object_get_boolean_member (run->root, "hardware"));
  element = json_object_get_object_member (run->root, "qsvautoenc");
  fail_unless (json_object_get_boolean_member (element, "installed"));
  fail_unless_equals_string (json_object_get_string_member (element,
          "encoder"), "x264enc");
  fail_unless (!json_object_get_boolean_member (element, "hardware"));
  rejected = json_object_get_array_member (element, "rejected");
  for (i = 0; i < json_array_get_length (rejected); i++)
    found |= g_str_has_prefix (json_array_get_string_element (rejected, i),
        "vah264lpenc: not registered");
  fail_unless (found);
  /* the element's whole selection report, under its own field names
   * (gst/qsvautoenc/gstqsvreport.c): a software choice has no device */
  fail_unless (json_object_get_null_member (element, "device"));
  fail_unless (json_object_get_null_member (element, "driver"));
  fail_unless_equals_string (json_object_get_string_member (element,
          "va_status"), "ok");
  fail_unless_equals_string (json_object_get_string_member (element,
          "rate_control"), "cbr");
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (element, "fallbacks")), 0);
  run_free (run);

  run = run_probe (NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless (strstr (run->out, "qsvautoenc would use: x264enc (software)"),
      "%s", run->out);
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_device_option)
{
  gchar *other = qsv_test_make_node (scratch, "renderD150", "entrypoints=lp");
  gchar *missing = g_build_filename (scratch, "renderD151", NULL);
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=none"));
  no_plugins = TRUE;
  run = run_probe ("--json", "--device", other, NULL);
  fail_unless_equals_int (run->status, 0);
  fail_unless (json_object_get_boolean_member (run->root, "explicit_device"));
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "device"), other);
  run_free (run);

  run = run_probe ("--device", missing, "--json", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "no-device");
  run_free (run);
  g_free (other);
  g_free (missing);
}

GST_END_TEST;

/* HEVC is reported next to H.264; --codec h265 makes the exit status and
 * the "would use" line about H.265 (qsvautoh265enc). Without plugins, so
 * that the element is missing whatever is built: then the probe alone
 * decides, as for a missing qsvautoenc. */
GST_START_TEST (test_h265)
{
  JsonObject *dev, *h265, *slice, *main, *element;
  gchar *node = qsv_test_make_node (scratch, "renderD128",
      "hevc=main;entrypoints=slice,lp;rc_lp=cqp;max=4096x2304");
  Run *run;

  no_plugins = TRUE;
  run = run_probe ("--json", NULL);
  fail_unless_equals_int (run->status, 0);
  dev = json_array_get_object_element (json_object_get_array_member
      (run->root, "devices"), 0);
  h265 = json_object_get_object_member (dev, "h265_encode");
  fail_unless_equals_int (json_object_get_size (h265), 2);
  slice = json_object_get_object_member (h265, "EncSlice");
  fail_unless_equals_int (json_object_get_size (slice), 1);
  main = json_object_get_object_member (slice, "main");
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (main, "rate_control")), 3);
  fail_unless_equals_int (json_object_get_int_member (main, "max_width"),
      4096);
  fail_unless_equals_string (json_array_get_string_element
      (json_object_get_array_member (json_object_get_object_member
              (json_object_get_object_member (h265, "EncSliceLP"), "main"),
              "rate_control"), 0), "cqp");
  fail_unless (json_object_has_member (dev, "h264_encode"));
  element = json_object_get_object_member (run->root, "qsvautoenc");
  fail_unless_equals_string (json_object_get_string_member (element,
          "element"), "qsvautoenc");
  fail_unless_equals_string (json_object_get_string_member (element,
          "codec"), "h264");
  run_free (run);

  run = run_probe ("--json", "--codec", "h265", NULL);
  fail_unless_equals_int (run->status, 0);
  element = json_object_get_object_member (run->root, "qsvautoenc");
  fail_unless_equals_string (json_object_get_string_member (element,
          "element"), "qsvautoh265enc");
  fail_unless_equals_string (json_object_get_string_member (element,
          "codec"), "h265");
  fail_unless (!json_object_get_boolean_member (element, "installed"));
  fail_unless (strstr (json_object_get_string_member (element, "error"),
          "the qsvautoh265enc element is not installed") != NULL);
  run_free (run);

  run = run_probe ("--codec", "h265", NULL);
  fail_unless_equals_int (run->status, 0);
  fail_unless (strstr (run->out, "H.265 encode") != NULL, "%s", run->out);
  fail_unless (strstr (run->out, "main10") != NULL, "%s", run->out);
  fail_unless (strstr (run->out, "Hardware H.264 encode: yes") != NULL);
  fail_unless (strstr (run->out, "Hardware H.265 encode: yes\n  on ") != NULL,
      "%s", run->out);
  fail_unless (strstr (run->out, "EncSliceLP (cqp)") != NULL, "%s", run->out);
  fail_unless (strstr (run->out, "qsvautoh265enc would use: nothing (the "
          "qsvautoh265enc element is not installed") != NULL, "%s", run->out);
  run_free (run);
  g_free (node);

  /* an H.264-only GPU: healthy for H.264, software for H.265 */
  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=slice"));
  run = run_probe (NULL);
  fail_unless_equals_int (run->status, 0);
  fail_unless (strstr (run->out, "Hardware H.265 encode: no") != NULL, "%s",
      run->out);
  run_free (run);
  run = run_probe ("--codec", "h265", NULL);
  fail_unless_equals_int (run->status, 1);
  run_free (run);

  /* an HEVC-only GPU: the other way round */
  g_free (qsv_test_make_node (scratch, "renderD128",
          "profiles=none;hevc=main,main10"));
  run = run_probe ("--codec", "h264", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless (strstr (run->out, "Hardware H.264 encode: no "
          "(no-h264-encode)") != NULL, "%s", run->out);
  fail_unless (strstr (run->out, "It encodes H.265 only") != NULL, "%s",
      run->out);
  run_free (run);
  run = run_probe ("--codec", "h265", NULL);
  fail_unless_equals_int (run->status, 0);
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_usage_errors_exit_2)
{
  Run *run = run_probe ("--no-such-option", NULL);

  fail_unless_equals_int (run->status, 2);
  fail_unless (strstr (run->err, "no-such-option") != NULL, "%s", run->err);
  run_free (run);

  run = run_probe ("stray-argument", NULL);
  fail_unless_equals_int (run->status, 2);
  fail_unless (strstr (run->err, "stray-argument") != NULL);
  run_free (run);

  run = run_probe ("--device", NULL);
  fail_unless_equals_int (run->status, 2);
  run_free (run);

  run = run_probe ("--codec", "vp9", NULL);
  fail_unless_equals_int (run->status, 2);
  fail_unless (strstr (run->err, "unknown codec 'vp9' (h264 or h265)") !=
      NULL, "%s", run->err);
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_driver_failure_stays_off_stderr)
{
  JsonObject *dev;
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", "init=fail"));
  run = run_probe ("--json", NULL);
  fail_unless_equals_int (run->status, 1);
  /* libva would print "libva error: ... init failed" here by itself */
  fail_unless_equals_string (run->err, "");
  dev = json_array_get_object_element (json_object_get_array_member
      (run->root, "devices"), 0);
  fail_unless_equals_string (json_object_get_string_member (dev, "status"),
      "driver-init-failed");
  fail_unless (strstr (json_object_get_string_member (dev, "libva_error"),
          "init failed") != NULL);
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_driver_crash_report)
{
  gchar *registry = g_build_filename (scratch, "fresh.registry", NULL);
  gchar *old_registry = g_strdup (g_getenv ("GST_REGISTRY_1_0"));
  JsonObject *dev, *element;
  Run *run;

  /* A driver that crashes when queried, seen by a fresh registry scan
   * (plugin_init probes) and by the command: neither dies, the plugin is
   * not blacklisted, and qsvautoenc chooses software, saying why. */
  g_free (qsv_test_make_node (scratch, "renderD128", "crash_at=query"));
  g_setenv ("GST_REGISTRY_1_0", registry, TRUE);
  run = run_probe ("--json", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "driver-crashed");
  dev = json_array_get_object_element (json_object_get_array_member
      (run->root, "devices"), 0);
  fail_unless (json_object_get_boolean_member (dev, "isolated"));
  fail_unless (strstr (json_object_get_string_member (dev, "message"),
          "signal 11") != NULL);
  if (g_getenv ("GST_PLUGIN_PATH_1_0")) {
    element = json_object_get_object_member (run->root, "qsvautoenc");
    fail_unless (json_object_get_boolean_member (element, "installed"));
    fail_unless_equals_string (json_object_get_string_member (element,
            "encoder"), "x264enc");
    fail_unless (strstr (json_object_get_string_member (element, "reason"),
            "crashed") != NULL, "%s",
        json_object_get_string_member (element, "reason"));
  }
  run_free (run);

  run = run_probe (NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless (strstr (run->out, "Hardware H.264 encode: no "
          "(driver-crashed)") != NULL, "%s", run->out);
  run_free (run);

  /* and a driver that hangs */
  g_free (qsv_test_make_node (scratch, "renderD128", "hang_at=init"));
  g_setenv ("QSVAUTOENC_PROBE_TIMEOUT_MS", "300", TRUE);
  run = run_probe ("--json", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "driver-hung");
  run_free (run);
  g_unsetenv ("QSVAUTOENC_PROBE_TIMEOUT_MS");
  if (old_registry)
    g_setenv ("GST_REGISTRY_1_0", old_registry, TRUE);
  else
    g_unsetenv ("GST_REGISTRY_1_0");
  g_free (old_registry);
  g_free (registry);
}

GST_END_TEST;

/* Isolation holes: a host that ignores SIGCHLD, a hang remembered across
 * processes, a device= that is not a DRM node. */
GST_START_TEST (test_isolation_holes)
{
  gchar *node = qsv_test_make_node (scratch, "renderD128", "crash_at=query");
  JsonObject *dev;
  Run *run;

  /* the crashing driver is never loaded into the command itself (it would
   * die of SIGSEGV: no exit status 1, no JSON) */
  ignore_sigchld = TRUE;
  run = run_probe ("--json", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "driver-crashed");
  run_free (run);
  ignore_sigchld = FALSE;

  /* a hang costs the time-out in the first process only */
  g_free (qsv_test_make_node (scratch, "renderD128", "hang_at=init"));
  g_setenv ("QSVAUTOENC_PROBE_TIMEOUT_MS", "300", TRUE);
  run = run_probe ("--json", NULL);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "driver-hung");
  run_free (run);
  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=lp"));
  run = run_probe ("--json", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "driver-hung");
  dev = json_array_get_object_element (json_object_get_array_member
      (run->root, "devices"), 0);
  fail_unless (strstr (json_object_get_string_member (dev, "message"),
          "remembered in") != NULL);
  run_free (run);
  run = run_probe ("--json", "--fresh", NULL);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "ok");
  run_free (run);
  g_unsetenv ("QSVAUTOENC_PROBE_TIMEOUT_MS");

  run = run_probe ("--json", "--device", "/dev/null", NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "not-drm-device");
  run_free (run);
  g_free (node);
}

GST_END_TEST;

/* The runtime folder may be shared: what another user planted as the hung
 * nodes' file (a fresh "hung" line, a FIFO, a link to /dev/zero) is not
 * believed, blocks nothing, reads nothing endless; nor does --status
 * believe a link or wait on a FIFO at the status path. */
GST_START_TEST (test_planted_state_files)
{
  gchar *node = qsv_test_make_node (scratch, "renderD128", "entrypoints=lp");
  gchar *hung = g_build_filename (scratch, "qsvautoenc-hung-nodes", NULL);
  gchar *status = g_build_filename (scratch, "status.json", NULL);
  gchar *real = g_build_filename (scratch, "other.json", NULL);
  gchar *line = g_strdup_printf ("%" G_GINT64_FORMAT " %s\n",
      g_get_real_time (), node);
  const gchar *what[] = { "foreign", "fifo", "zero" };
  Run *run;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (what); i++) {
    g_unlink (hung);
    if (i == 0) {
      fail_unless (g_file_set_contents (hung, line, -1, NULL));
      fail_unless (chown (hung, 65534, 65534) == 0);
    } else if (i == 1) {
      fail_unless (mkfifo (hung, 0666) == 0);
    } else {
      fail_unless (symlink ("/dev/zero", hung) == 0);
    }
    run = run_probe ("--json", NULL);
    fail_unless (g_str_equal (json_object_get_string_member (run->root,
                "status"), "ok"), "planted %s: %s", what[i], run->out);
    run_free (run);
  }

  fail_unless (g_file_set_contents (real, "{\"health\": \"hardware\"}\n", -1,
          NULL));
  fail_unless (symlink (real, status) == 0);
  run = run_probe ("--status", status, NULL);
  fail_unless_equals_int (run->status, 2);
  fail_unless (strstr (run->err, "symbolic link") != NULL, "%s", run->err);
  run_free (run);
  g_unlink (status);
  fail_unless (mkfifo (status, 0666) == 0);
  run = run_probe ("--status", status, NULL);
  fail_unless_equals_int (run->status, 2);
  run_free (run);

  g_unlink (hung);
  g_unlink (status);
  g_free (line);
  g_free (real);
  g_free (status);
  g_free (hung);
  g_free (node);
}

GST_END_TEST;

GST_START_TEST (test_json_escaping)
{
  const gchar *vendor = "Vendor \"quoted\" \\ back\tslash";
  gchar *conf = g_strdup_printf ("vendor=%s", vendor);
  JsonObject *dev;
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", conf));
  run = run_probe ("--json", NULL);
  dev = json_array_get_object_element (json_object_get_array_member
      (run->root, "devices"), 0);
  fail_unless_equals_string (json_object_get_string_member (dev, "vendor"),
      vendor);
  run_free (run);
  g_free (conf);
}

GST_END_TEST;

GST_START_TEST (test_permission_denied_report)
{
  Run *run;

  g_free (qsv_test_make_node (scratch, "renderD128", ""));
  g_setenv ("FAKEDRM_OPEN_ERRNO", "renderD128=EACCES", TRUE);
  run = run_probe (NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless (strstr (run->out, "permission-denied") != NULL, "%s", run->out);
  fail_unless (strstr (run->out, "render") != NULL);
  run_free (run);
}

GST_END_TEST;

GST_START_TEST (test_not_built)
{
  Run *run = run_probe ("--json", NULL);

  fail_unless_equals_int (run->status, 1);
  fail_unless (!json_object_get_boolean_member (run->root, "va_built"));
  fail_unless_equals_string (json_object_get_string_member (run->root,
          "status"), "not-built");
  fail_unless (strstr (json_object_get_string_member (run->root, "message"),
          "VA support not built") != NULL);
  run_free (run);

  run = run_probe (NULL);
  fail_unless_equals_int (run->status, 1);
  fail_unless (strstr (run->out, "VA support not built") != NULL, "%s",
      run->out);
  run_free (run);
}

GST_END_TEST;

static Suite *
probecmd_suite (void)
{
  Suite *s = suite_create ("qsvautoenc-probe");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  if (g_strcmp0 (g_getenv ("QSV_VA_BUILT"), "1") == 0) {
    tcase_add_test (tc, test_no_device_exit_1);
    tcase_add_test (tc, test_hardware_exit_0);
    tcase_add_test (tc, test_h265);
    if (g_getenv ("GST_PLUGIN_PATH_1_0"))
      tcase_add_test (tc, test_hardware_but_element_uses_software);
    tcase_add_test (tc, test_device_option);
    tcase_add_test (tc, test_driver_failure_stays_off_stderr);
    tcase_add_test (tc, test_json_escaping);
    tcase_add_test (tc, test_driver_crash_report);
    tcase_add_test (tc, test_isolation_holes);
    tcase_add_test (tc, test_planted_state_files);
    tcase_add_test (tc, test_permission_denied_report);
  } else {
    tcase_add_test (tc, test_not_built);
  }
  tcase_add_test (tc, test_usage_errors_exit_2);
  return s;
}

GST_CHECK_MAIN (probecmd);
