/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The qsvautoenc-report tracer's status file across processes, as
 * operators meet it: gst-launch-1.0 with GST_TRACERS writing into a sticky
 * world-writable folder where another user planted a symlink and files;
 * two writers and a reader; a probe (qsvautoenc-probe, GST_TRACERS set too)
 * next to a running pipeline; an unwritable path; the file after a batch
 * job; format=prometheus read by a parser of the exposition format
 * (python3-prometheus-client); and qsvautoenc-probe --status. */

#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qsvtestutil.h"

/* the user that plants files: nobody, as root runs the tests */
#define OTHER_UID 65534

#define LIVE_DESC "videotestsrc is-live=true ! video/x-raw,width=64,height=48," \
  "framerate=100/1 ! qsvautoenc name=live target-usage=7 ! fakesink"
#define BATCH_DESC "videotestsrc num-buffers=12 ! video/x-raw,width=64," \
  "height=48 ! qsvautoenc name=batch target-usage=7 ! fakesink"

static gchar *scratch;

static GSubprocess *
spawn (const gchar * tracers, GSubprocessFlags flags, const gchar * argv0,
    ...)
{
  GSubprocessLauncher *l = g_subprocess_launcher_new (flags);
  GPtrArray *argv = g_ptr_array_new ();
  GError *error = NULL;
  GSubprocess *p;
  const gchar *a;
  va_list ap;

  if (tracers)
    g_subprocess_launcher_setenv (l, "GST_TRACERS", tracers, TRUE);
  else
    g_subprocess_launcher_unsetenv (l, "GST_TRACERS");
  g_subprocess_launcher_unsetenv (l, "GST_DEBUG");
  g_ptr_array_add (argv, (gpointer) argv0);
  va_start (ap, argv0);
  while ((a = va_arg (ap, const gchar *)))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  p = g_subprocess_launcher_spawnv (l, (const gchar * const *) argv->pdata,
      &error);
  fail_unless (p != NULL, "%s: %s", argv0, error ? error->message : "");
  g_ptr_array_unref (argv);
  g_object_unref (l);
  return p;
}

/* gst-launch-1.0 DESC with GST_TRACERS=qsvautoenc-report(PARAMS) */
static GSubprocess *
launch (const gchar * params, const gchar * desc, GSubprocessFlags flags)
{
  gchar *tracers = g_strdup_printf ("qsvautoenc-report(%s)", params);
  gchar **args = g_strsplit (desc, " ", 0);
  GSubprocessLauncher *l = g_subprocess_launcher_new (flags);
  GPtrArray *argv = g_ptr_array_new ();
  GError *error = NULL;
  GSubprocess *p;
  guint i;

  g_subprocess_launcher_setenv (l, "GST_TRACERS", tracers, TRUE);
  g_subprocess_launcher_unsetenv (l, "GST_DEBUG");
  g_ptr_array_add (argv, (gpointer) "gst-launch-1.0");
  g_ptr_array_add (argv, (gpointer) "-q");
  for (i = 0; args[i]; i++)
    g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);
  p = g_subprocess_launcher_spawnv (l, (const gchar * const *) argv->pdata,
      &error);
  fail_unless (p != NULL, "gst-launch-1.0: %s", error ? error->message : "");
  g_ptr_array_unref (argv);
  g_strfreev (args);
  g_object_unref (l);
  g_free (tracers);
  return p;
}

/* waits for the process to end; its exit status */
static gint
finish (GSubprocess * p, gchar ** err)
{
  GError *error = NULL;
  gint status;

  fail_unless (g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, err,
          &error), "%s", error ? error->message : "");
  fail_unless (g_subprocess_get_if_exited (p));
  status = g_subprocess_get_exit_status (p);
  g_object_unref (p);
  return status;
}

static void
kill_and_reap (GSubprocess * p)
{
  g_subprocess_force_exit (p);
  g_subprocess_wait (p, NULL, NULL);
  g_object_unref (p);
}

/* Blocks until a status file is renamed into @path (inotify: no polling,
 * no sleeps); fails after two minutes. */
static void
wait_for_write (const gchar * path)
{
  gchar *dir = g_path_get_dirname (path), *base = g_path_get_basename (path);
  int fd = inotify_init1 (IN_CLOEXEC);
  gboolean seen = FALSE;

  fail_unless (fd >= 0);
  fail_unless (inotify_add_watch (fd, dir, IN_MOVED_TO) >= 0);
  while (!seen) {
    struct pollfd pfd = { fd, POLLIN, 0 };
    gchar buf[4096] __attribute__ ((aligned (8)));
    gssize n, off;

    fail_unless (poll (&pfd, 1, 120000) == 1, "no status file at %s", path);
    n = read (fd, buf, sizeof (buf));
    fail_unless (n > 0);
    for (off = 0; off < n;) {
      struct inotify_event *ev = (struct inotify_event *) (buf + off);

      if (ev->len && g_str_equal (ev->name, base))
        seen = TRUE;
      off += sizeof (*ev) + ev->len;
    }
  }
  close (fd);
  g_free (dir);
  g_free (base);
}

static JsonObject *
load_status (const gchar * path, JsonParser ** parser)
{
  GError *error = NULL;

  *parser = json_parser_new ();
  fail_unless (json_parser_load_from_file (*parser, path, &error), "%s: %s",
      path, error ? error->message : "");
  return json_node_get_object (json_parser_get_root (*parser));
}

static gchar *
read_text (const gchar * path)
{
  gchar *text = NULL;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "%s", path);
  return text;
}

/* runs @func(@data) in a child process as user nobody (as is, when the
 * tests don't run as root) */
static void
as_other_user (void (*func) (gpointer), gpointer data)
{
  pid_t pid = fork ();
  int status;

  fail_unless (pid >= 0);
  if (pid == 0) {
    if (getuid () == 0 && (setgroups (0, NULL) < 0 ||
            setresgid (OTHER_UID, OTHER_UID, OTHER_UID) < 0 ||
            setresuid (OTHER_UID, OTHER_UID, OTHER_UID) < 0))
      _exit (10);
    func (data);
    _exit (0);
  }
  fail_unless (waitpid (pid, &status, 0) == pid);
  fail_unless (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "planting as uid %d failed", OTHER_UID);
}

typedef struct
{
  const gchar *dir, *victim;
} Plant;

static void
plant (gpointer data)
{
  Plant *p = data;
  gchar *path;
  int fd;

  /* the final path itself a symlink to a file of root's */
  path = g_build_filename (p->dir, "linked.json", NULL);
  if (symlink (p->victim, path) < 0)
    _exit (11);
  g_free (path);
  /* the old fixed temporary name, as a symlink and as a file */
  path = g_build_filename (p->dir, "status.json.tmp", NULL);
  if (symlink (p->victim, path) < 0)
    _exit (12);
  g_free (path);
  path = g_build_filename (p->dir, "linked.json.tmp", NULL);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0 || fchmod (fd, 0666) < 0 || write (fd, "{}", 2) != 2)
    _exit (13);
  close (fd);
  g_free (path);
  /* a spoofed status file, world-writable */
  path = g_build_filename (p->dir, "status.json", NULL);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0 || fchmod (fd, 0666) < 0 ||
      write (fd, "{\"health\": \"hardware\"}", 22) != 22)
    _exit (14);
  close (fd);
  g_free (path);
}

GST_START_TEST (test_shared_folder)
{
  /* in /tmp: the other user must reach it */
  gchar *dir = g_dir_make_tmp ("qsvautoenc-shared-XXXXXX", NULL);
  gchar *victim = g_build_filename (scratch, "victim", NULL);
  gchar *linked = g_build_filename (dir, "linked.json", NULL);
  gchar *status = g_build_filename (dir, "status.json", NULL);
  gchar *params, *err = NULL, *text, *target;
  Plant p = { dir, victim };
  JsonParser *parser;
  JsonObject *o;
  struct stat st;
  GDir *d;
  const gchar *name;
  guint files = 0;

  fail_unless (dir != NULL);
  fail_unless (chmod (dir, 01777) == 0);
  fail_unless (g_file_set_contents (victim, "victim", -1, NULL));
  as_other_user (plant, &p);

  /* a symlink at the path: refused, with a warning naming it and the
   * error, once; the pipeline runs to the end; the link target untouched */
  params = g_strdup_printf ("file=%s,interval=1", linked);
  fail_unless_equals_int (finish (launch (params, BATCH_DESC,
              G_SUBPROCESS_FLAGS_STDERR_PIPE), &err), 0);
  g_free (params);
  fail_unless (strstr (err, linked) != NULL, "%s", err);
  fail_unless (strstr (err, g_strerror (ELOOP)) != NULL, "%s", err);
  fail_unless (strstr (err, "cannot write") == g_strrstr (err,
          "cannot write"), "more than one warning: %s", err);
  g_free (err);
  fail_unless (lstat (linked, &st) == 0 && S_ISLNK (st.st_mode));
  text = read_text (victim);
  fail_unless_equals_string (text, "victim");
  g_free (text);

  /* a spoofed status file and a planted FILE.tmp symlink: the status file
   * becomes ours, 0644; nothing is written through the symlink */
  params = g_strdup_printf ("file=%s", status);
  fail_unless_equals_int (finish (launch (params, BATCH_DESC,
              G_SUBPROCESS_FLAGS_NONE), NULL), 0);
  g_free (params);
  fail_unless (lstat (status, &st) == 0 && S_ISREG (st.st_mode));
  fail_unless_equals_int (st.st_uid, getuid ());
  fail_unless_equals_int (st.st_mode & 07777, 0644);
  o = load_status (status, &parser);
  fail_unless_equals_string (json_object_get_string_member (o, "health"),
      "idle");
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (o, "encoders")), 1);
  g_object_unref (parser);
  text = read_text (victim);
  fail_unless_equals_string (text, "victim");
  g_free (text);
  target = g_file_read_link (g_build_filename (dir, "status.json.tmp",
          NULL), NULL);
  fail_unless_equals_string (target, victim);
  g_free (target);
  text = read_text (g_build_filename (dir, "linked.json.tmp", NULL));
  fail_unless_equals_string (text, "{}");
  g_free (text);

  /* no temporary left behind: the planted four, nothing else */
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d))) {
    fail_if (name[0] == '.', "left behind: %s", name);
    files++;
  }
  g_dir_close (d);
  fail_unless_equals_int (files, 4);
  qsv_test_scratch_free (g_strdup (dir));

  g_free (dir);
  g_free (victim);
  g_free (linked);
  g_free (status);
}

GST_END_TEST;

/* After a batch job the file says which encoder did it, with its totals,
 * and which process wrote it. */
GST_START_TEST (test_batch_job)
{
  gchar *path = g_build_filename (scratch, "batch.json", NULL);
  gchar *params = g_strdup_printf ("file=%s", path);
  GSubprocess *p = launch (params, BATCH_DESC, G_SUBPROCESS_FLAGS_NONE);
  gchar *pid = g_strdup (g_subprocess_get_identifier (p));
  JsonParser *parser;
  JsonObject *o, *e;

  fail_unless_equals_int (finish (p, NULL), 0);
  o = load_status (path, &parser);
  fail_unless_equals_int (json_object_get_int_member (o, "pid"),
      g_ascii_strtoll (pid, NULL, 10));
  fail_unless (json_object_get_int_member (o, "process_start_ticks") > 0);
  fail_unless (json_object_get_string_member (o, "process_start") != NULL);
  fail_unless_equals_string (json_object_get_string_member (o, "health"),
      "idle");
  fail_unless_equals_int (json_object_get_int_member (o, "live_encoders"), 0);
  fail_unless_equals_int (json_object_get_int_member (o, "finished_encoders"),
      1);
  e = json_array_get_object_element (json_object_get_array_member (o,
          "encoders"), 0);
  fail_unless_equals_string (json_object_get_string_member (e, "element"),
      "batch");
  fail_unless_equals_string (json_object_get_string_member (e, "encoder"),
      "x264enc");
  fail_unless (json_object_get_boolean_member (e, "finished"));
  fail_unless_equals_int (json_object_get_int_member (e, "frames_out"), 12);
  g_object_unref (parser);
  /* its process is gone: --status says nothing encodes */
  fail_unless_equals_int (finish (spawn (NULL, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
              g_getenv ("QSV_PROBE_CMD"), "--status", path, NULL), NULL), 3);
  g_free (pid);
  g_free (params);
  g_free (path);
}

GST_END_TEST;

/* Two processes keep rewriting one file; every read of it, thousands while
 * both write, is a complete document. */
GST_START_TEST (test_two_writers)
{
  gchar *path = g_build_filename (scratch, "race.json", NULL);
  gchar *params = g_strdup_printf ("file=%s,interval=1", path);
  GSubprocess *a = launch (params, LIVE_DESC, G_SUBPROCESS_FLAGS_NONE);
  GSubprocess *b = launch (params, LIVE_DESC, G_SUBPROCESS_FLAGS_NONE);
  gint64 pid_a = g_ascii_strtoll (g_subprocess_get_identifier (a), NULL, 10);
  gint64 pid_b = g_ascii_strtoll (g_subprocess_get_identifier (b), NULL, 10);
  gboolean seen_a = FALSE, seen_b = FALSE;
  guint reads = 0, changes = 0;
  gchar *last = NULL;

  wait_for_write (path);
  while (reads < 3000 || !seen_a || !seen_b) {
    JsonParser *parser = json_parser_new ();
    GError *error = NULL;
    gchar *text = read_text (path);
    gint64 pid;

    fail_unless (json_parser_load_from_data (parser, text, -1, &error),
        "read %u: %s: '%s'", reads, error ? error->message : "", text);
    pid = json_object_get_int_member (json_node_get_object
        (json_parser_get_root (parser)), "pid");
    fail_unless (pid == pid_a || pid == pid_b);
    seen_a |= pid == pid_a;
    seen_b |= pid == pid_b;
    if (g_strcmp0 (text, last) != 0)
      changes++;
    g_free (last);
    last = text;
    g_object_unref (parser);
    fail_unless (++reads < 2000000, "one writer never wrote");
  }
  GST_INFO ("%u reads, %u changes seen", reads, changes);
  fail_unless (changes > 1);
  kill_and_reap (a);
  kill_and_reap (b);
  g_free (last);
  g_free (params);
  g_free (path);
}

GST_END_TEST;

/* A health probe (or gst-inspect) with the same GST_TRACERS as the running
 * pipeline never touches its file, nor makes one. */
GST_START_TEST (test_probe_next_to_pipeline)
{
  gchar *path = g_build_filename (scratch, "service.json", NULL);
  gchar *other = g_build_filename (scratch, "probe-only.json", NULL);
  gchar *params = g_strdup_printf ("file=%s,interval=600000", path);
  gchar *tracers = g_strdup_printf ("qsvautoenc-report(%s)", params);
  gchar *tracers_other = g_strdup_printf ("qsvautoenc-report(file=%s)",
      other);
  GSubprocess *service = launch (params, LIVE_DESC, G_SUBPROCESS_FLAGS_NONE);
  gchar *before, *after;
  struct stat st1, st2;

  wait_for_write (path);
  fail_unless (stat (path, &st1) == 0);
  before = read_text (path);
  fail_unless (strstr (before, "\"health\": \"software\",\n") != NULL, "%s",
      before);

  /* the probe takes a qsvautoenc to READY: exit 1 (software) here */
  fail_unless_equals_int (finish (spawn (tracers,
              G_SUBPROCESS_FLAGS_STDOUT_SILENCE, g_getenv ("QSV_PROBE_CMD"),
              NULL), NULL), 1);
  fail_unless_equals_int (finish (spawn (tracers,
              G_SUBPROCESS_FLAGS_STDOUT_SILENCE, "gst-inspect-1.0",
              "qsvautoenc", NULL), NULL), 0);
  fail_unless (stat (path, &st2) == 0);
  fail_unless_equals_int (st1.st_ino, st2.st_ino);
  fail_unless_equals_int64 (st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
  after = read_text (path);
  fail_unless_equals_string (after, before);

  fail_unless_equals_int (finish (spawn (tracers_other,
              G_SUBPROCESS_FLAGS_STDOUT_SILENCE, g_getenv ("QSV_PROBE_CMD"),
              NULL), NULL), 1);
  fail_if (g_file_test (other, G_FILE_TEST_EXISTS));

  /* the health check: a live software encoder (1); once the service is
   * gone, nothing encodes (3) */
  fail_unless_equals_int (finish (spawn (NULL,
              G_SUBPROCESS_FLAGS_STDOUT_SILENCE, g_getenv ("QSV_PROBE_CMD"),
              "--status", path, NULL), NULL), 1);
  kill_and_reap (service);
  fail_unless_equals_int (finish (spawn (NULL,
              G_SUBPROCESS_FLAGS_STDOUT_SILENCE, g_getenv ("QSV_PROBE_CMD"),
              "--status", path, NULL), NULL), 3);

  g_free (before);
  g_free (after);
  g_free (tracers);
  g_free (tracers_other);
  g_free (params);
  g_free (other);
  g_free (path);
}

GST_END_TEST;

/* --status on files in the documented layout, written by this process */
GST_START_TEST (test_status_option)
{
  gchar *path = g_build_filename (scratch, "layout.json", NULL);
  gchar *stat = read_text ("/proc/self/stat"), **f;
  const gchar *health[] = { "hardware", "software", "idle" };
  const gint expect[] = { 0, 1, 3 };
  guint i;

  f = g_strsplit (strrchr (stat, ')') + 2, " ", 0);
  for (i = 0; i < G_N_ELEMENTS (health); i++) {
    gchar *text = g_strdup_printf ("{\n\"health\": \"%s\",\n\"pid\": %d,\n"
        "\"process_start\": \"x\",\n\"process_start_ticks\": %s,\n"
        "\"live_encoders\": %d,\n\"encoders\": [\n]\n}\n", health[i],
        (int) getpid (), f[19], i < 2);

    fail_unless (g_file_set_contents (path, text, -1, NULL));
    fail_unless_equals_int (finish (spawn (NULL,
                G_SUBPROCESS_FLAGS_STDOUT_SILENCE, g_getenv ("QSV_PROBE_CMD"),
                "--status", path, NULL), NULL), expect[i]);
    g_free (text);
  }
  /* another process's start time under our pid: stale */
  fail_unless (g_file_set_contents (path, "{\n\"health\": \"hardware\",\n"
          "\"pid\": 1,\n\"process_start_ticks\": 1,\n\"live_encoders\": 1,\n}",
          -1, NULL));
  fail_unless_equals_int (finish (spawn (NULL,
              G_SUBPROCESS_FLAGS_STDOUT_SILENCE, g_getenv ("QSV_PROBE_CMD"),
              "--status", path, NULL), NULL), 3);
  fail_unless_equals_int (finish (spawn (NULL,
              G_SUBPROCESS_FLAGS_STDERR_SILENCE, g_getenv ("QSV_PROBE_CMD"),
              "--status", "/nonexistent/status.json", NULL), NULL), 2);
  g_strfreev (f);
  g_free (stat);
  g_free (path);
}

GST_END_TEST;

/* An unwritable path: one warning, naming it and the errno; the encode
 * goes on to the end. */
GST_START_TEST (test_unwritable)
{
  gchar *err = NULL;

  fail_unless_equals_int (finish (launch
          ("file=/nonexistent/dir/x.json,interval=1", BATCH_DESC,
              G_SUBPROCESS_FLAGS_STDERR_PIPE), &err), 0);
  fail_unless (strstr (err, "WARNING") != NULL, "%s", err);
  fail_unless (strstr (err, "/nonexistent/dir/x.json") != NULL, "%s", err);
  fail_unless (strstr (err, "No such file or directory, errno 2") != NULL,
      "%s", err);
  fail_unless (strstr (err, "cannot write") == g_strrstr (err,
          "cannot write"), "more than one warning: %s", err);
  g_free (err);
}

GST_END_TEST;

/* format=prometheus, read back by the Prometheus client library's parser
 * of the text exposition format */
GST_START_TEST (test_prometheus)
{
  gchar *path = g_build_filename (scratch, "qsvautoenc.prom", NULL);
  gchar *params = g_strdup_printf ("file=%s,format=prometheus", path);
  gchar *out = NULL, *err = NULL;
  GSubprocess *p;
  JsonParser *parser;
  JsonObject *o, *fam;
  JsonArray *samples;
  struct stat st;

  fail_unless_equals_int (finish (launch (params, BATCH_DESC,
              G_SUBPROCESS_FLAGS_NONE), NULL), 0);
  fail_unless (stat (path, &st) == 0 && (st.st_mode & 07777) == 0644);
  p = spawn (NULL, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_PIPE, "/usr/bin/python3",
      g_getenv ("QSV_PROM_PARSE"), path, NULL);
  fail_unless (g_subprocess_communicate_utf8 (p, NULL, NULL, &out, &err,
          NULL));
  fail_unless (g_subprocess_get_if_exited (p) &&
      g_subprocess_get_exit_status (p) == 0, "%s%s", out, err);
  g_object_unref (p);
  parser = json_parser_new ();
  fail_unless (json_parser_load_from_data (parser, out, -1, NULL), "%s", out);
  o = json_node_get_object (json_parser_get_root (parser));

  /* counters are families without _total; one sample each */
  fam = json_object_get_object_member (o, "qsvautoenc_frames_out");
  fail_unless (fam != NULL, "%s", out);
  fail_unless_equals_string (json_object_get_string_member (fam, "type"),
      "counter");
  samples = json_object_get_array_member (fam, "samples");
  fail_unless_equals_int (json_array_get_length (samples), 1);
  fail_unless_equals_string (json_object_get_string_member
      (json_array_get_object_element (samples, 0), "name"),
      "qsvautoenc_frames_out_total");
  fail_unless_equals_float (json_object_get_double_member
      (json_array_get_object_element (samples, 0), "value"), 12);
  fail_unless_equals_string (json_object_get_string_member
      (json_object_get_object_member (json_array_get_object_element (samples,
                  0), "labels"), "element"), "batch");

  fam = json_object_get_object_member (o, "qsvautoenc_info");
  samples = json_object_get_array_member (fam, "samples");
  fail_unless_equals_string (json_object_get_string_member
      (json_object_get_object_member (json_array_get_object_element (samples,
                  0), "labels"), "encoder"), "x264enc");
  fam = json_object_get_object_member (o, "qsvautoenc_hardware");
  fail_unless_equals_float (json_object_get_double_member
      (json_array_get_object_element (json_object_get_array_member (fam,
                  "samples"), 0), "value"), 0);
  fam = json_object_get_object_member (o, "qsvautoenc_finished");
  fail_unless_equals_float (json_object_get_double_member
      (json_array_get_object_element (json_object_get_array_member (fam,
                  "samples"), 0), "value"), 1);
  fail_unless (json_object_has_member (o, "qsvautoenc_fallbacks"));
  fail_unless (json_object_has_member (o, "qsvautoenc_live_encoders"));
  fail_unless (json_object_has_member (o,
          "qsvautoenc_process_start_time_seconds"));
  g_object_unref (parser);
  g_free (out);
  g_free (err);
  g_free (params);
  g_free (path);
}

GST_END_TEST;

static Suite *
tracerfile_suite (void)
{
  Suite *s = suite_create ("tracerfile");
  TCase *tc = tcase_create ("general");

  scratch = qsv_test_scratch_new ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_status_option);
  tcase_add_test (tc, test_batch_job);
  tcase_add_test (tc, test_unwritable);
  tcase_add_test (tc, test_shared_folder);
  tcase_add_test (tc, test_prometheus);
  tcase_add_test (tc, test_probe_next_to_pipeline);
  tcase_add_test (tc, test_two_writers);
  return s;
}

GST_CHECK_MAIN (tracerfile);
