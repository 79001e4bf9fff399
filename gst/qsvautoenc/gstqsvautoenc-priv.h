/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What gstqsvautoenc.c (the element: properties, states, selection, the
 * internal chain) and gstqsvautoencstream.c (the stream through it: held
 * frames, what downstream sees, fallback triggers, the watchdog) share. */

#ifndef __GST_QSV_AUTO_ENC_PRIV_H__
#define __GST_QSV_AUTO_ENC_PRIV_H__

#include "gstqsvautoenc.h"
#include "gstqsvcodec.h"
#include "gstqsvencodercatalog.h"
#include "gstqsvvaprobe.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_qsv_auto_enc_debug);

typedef enum
{
  GST_QSV_AUTO_ENC_FALLBACK_NEVER,
  GST_QSV_AUTO_ENC_FALLBACK_STARTUP,
  GST_QSV_AUTO_ENC_FALLBACK_ALWAYS,
} GstQsvAutoEncFallback;

/* An input frame the active encoder has taken and not yet output. */
typedef struct
{
  GstBuffer *buffer;            /* as the front got it (a copy where
                                 * upstream's pool is bounded) */
  GstCaps *caps;                /* the input caps it came with */
  GstClockTime key;             /* running time of its PTS inside: unique */
  GstClockTime pts;             /* its PTS inside */
  guint64 ordinal;              /* how-manieth frame of the active path */
  guint64 index;                /* how-manieth frame of the stream */
  gsize size;
} GstQsvHeldFrame;

struct _GstQsvAutoEncClass
{
  GstBinClass parent_class;

  /* the codec's subclass sets them (class data) */
  const GstQsvCodec *codec;
  const GstQsvCatalog *catalog;
};

struct _GstQsvAutoEnc
{
  GstBin parent;

  GstPad *sinkpad;
  GstPad *srcpad;
  /* the class's, set at construction */
  const GstQsvCodec *codec;
  const GstQsvCatalog *catalog;

  /* properties, under the object lock */
  GstQsvSettings settings;
  gchar *encoder_name;
  gchar *device;
  gboolean reselect;            /* a selection setting changed in READY */
  GstQsvAutoEncFallback fallback;
  gboolean tracer;
  gchar *tracer_file;
  guint stall_timeout;          /* ms, 0 = off */

  /* what was chosen, under the object lock; the elements are added,
   * linked and removed by the thread that changes state or, for a
   * fallback, by the streaming thread */
  gchar *active_encoder;
  gboolean hardware;
  gchar *active_device;
  GstStructure *report;
  GstQsvSelection *selection;
  guint next_candidate;
  const GstQsvCandidate *active;
  GstElement *encoder;
  GstElement *enc_filter;       /* byte-stream/au (and the pinned profile) */
  GstElement *parse;            /* h264parse where downstream wants avc(3) */
  GstElement *out_filter;       /* the stream-format downstream gets */
  gchar *out_format;            /* chosen at READY->PAUSED */
  GList *retired;               /* failed encoder paths, released at NULL */
  GstElement *convert;
  gboolean deep;                /* object lock: downstream takes only a
                                 * deep (10-bit) profile */
  gboolean front_sysmem;        /* videoconvert in front even where
                                 * vapostproc is (it refused the input) */
  GstElement *filter;
  GstQsvVaProbeResult *probe;
  /* encoder::prop=value given by the application: (gchar*, GValue*) */
  GHashTable *child_overrides;

  /* The stream, under stream_lock (see gstqsvautoencstream.c) */
  GMutex stream_lock;
  GQueue held;                  /* GstQsvHeldFrame*, oldest first */
  gsize held_bytes;
  guint64 in_index;             /* frames taken since start or flush */
  guint64 key_at;               /* frame index a replacement is asked a
                                 * keyframe at (the GOP grid), or MAX */
  gboolean store_full;          /* frames are no longer kept */
  guint frames_unkept;          /* not kept since the store filled */
  GstSegment in_segment;        /* upstream's */
  GstSegment inside_segment;    /* what the front and encoder got: TIME */
  GstClockTime last_key;
  GstCaps *in_caps;
  gboolean upstream_caps_changed;
  GstCaps *out_caps;            /* what downstream accepted: kept */
  gboolean have_out_segment;
  gboolean reorders;            /* an output so far had DTS < PTS */
  guint64 out_count;            /* buffers downstream got */
  GstClockTime last_out_dts;    /* the last DTS downstream got */
  GstSegment out_segment;       /* what downstream got: kept */
  GstSegment path_segment;      /* what the active path announced */
  gboolean restating;           /* a new path restates caps and segment */
  guint8 level_idc;             /* the first path's SPS level, 0: none yet */
  guint64 path_frames;          /* frames pushed into the active path */
  GstClockTime path_first_out;  /* a renumbering path's first output PTS */
  gboolean path_renumbers;      /* its encoder counts frames for PTS */
  gchar *failure;               /* the active path failed: why */
  gint output_seen;             /* atomic: the active path has output */
  gint swapping;                /* atomic: a path is being replaced */
  gint replaced;                /* atomic: a fallback happened since READY */
  gint inner_error;             /* atomic: an inner ERROR reached the
                                 * application (no switch was allowed) */
  gint failed_for_good;         /* atomic: the path failed, nothing may
                                 * replace it, the ERROR is posted */
  gint downstream_ret;          /* atomic: what downstream's peer returned
                                 * last (a GstFlowReturn); a flow error
                                 * from there is not the encoder's */

  /* the stall watchdog, a thread of its own while PAUSED/PLAYING; clocks
   * under stream_lock */
  GThread *watchdog;
  GCond watchdog_cond;
  gboolean watchdog_stop;
  gboolean playing;
  gint64 last_output_us;        /* last output, or the path's start */
  gint64 waiting_since_us;      /* first input after the last output, 0 */
  guint inputs_since_output;
  gint64 push_since_us;         /* inside the encoder's chain since, 0 */
};

/* gstqsvautoencfallback.c: the swap */
gboolean gst_qsv_auto_enc_can_fall_back (GstQsvAutoEnc * self);
GstFlowReturn gst_qsv_auto_enc_fall_back (GstQsvAutoEnc * self,
    GstFlowReturn ret, GstEvent * eos);

/* gstqsvautoenc.c */
gchar *gst_qsv_auto_enc_error_text (GstMessage * msg);
void gst_qsv_auto_enc_notify_active (GstQsvAutoEnc * self);

/* gstqsvautoencchild.c: the encoder child (GstChildProxy) */
void gst_qsv_auto_enc_child_proxy_init (gpointer g_iface,
    gpointer iface_data);
void gst_qsv_auto_enc_forget_lookup (void);
void gst_qsv_auto_enc_capture_child_overrides (GstQsvAutoEnc * self,
    GstElement * enc);
void gst_qsv_auto_enc_release_child_overrides (GstQsvAutoEnc * self,
    GstElement * enc);
void gst_qsv_auto_enc_apply_child_overrides (GstQsvAutoEnc * self,
    GstElement * enc);

/* gstqsvautoencselect.c: settings, candidates, selection */
void gst_qsv_auto_enc_apply_settings (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_apply_bitrate (GstQsvAutoEnc * self);
gboolean gst_qsv_auto_enc_select_encoder (GstQsvAutoEnc * self);
gboolean gst_qsv_auto_enc_activate_next_candidate (GstQsvAutoEnc * self,
    const GstQsvSettings * s, const gchar * device);

/* gstqsvautoencreport.c: the selection report */
GstStructure *gst_qsv_auto_enc_update_report (GstQsvAutoEnc * self,
    const gchar * name, const gchar * fallback_from, const gchar * error);

/* gstqsvautoencpath.c: building the chain inside */
gboolean gst_qsv_auto_enc_ensure_front (GstQsvAutoEnc * self,
    const GstQsvCandidate * c);
void gst_qsv_auto_enc_install_path (GstQsvAutoEnc * self, GstElement * enc);
void gst_qsv_auto_enc_finish_path (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_remove_element (GstQsvAutoEnc * self,
    GstElement ** element);
void gst_qsv_auto_enc_remove_path (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_release_retired (GstQsvAutoEnc * self);
GstPad *gst_qsv_auto_enc_rebuild_front (GstQsvAutoEnc * self);
gboolean gst_qsv_auto_enc_front_without_vpp (GstQsvAutoEnc * self);

/* gstqsvautoencstream.c: input, the replay store, the failure state */
void gst_qsv_auto_enc_stream_init (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_stream_clear (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_stream_reset (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_stream_flush (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_stream_path_started (GstQsvAutoEnc * self);
GstCaps *gst_qsv_auto_enc_stream_out_caps (GstQsvAutoEnc * self);
guint gst_qsv_auto_enc_stream_held (GstQsvAutoEnc * self, guint * unkept);
void gst_qsv_auto_enc_stream_keep_gop (GstQsvAutoEnc * self, guint gop);
gchar *gst_qsv_auto_enc_stream_take_failure (GstQsvAutoEnc * self,
    GstFlowReturn ret);
GstFlowReturn gst_qsv_auto_enc_stream_replay (GstQsvAutoEnc * self,
    GstEvent * eos);
GstClockTime gst_qsv_auto_enc_stream_frame_duration (GstQsvAutoEnc * self,
    GstBuffer * buf);
void gst_qsv_auto_enc_stream_release (GstQsvAutoEnc * self, GList * link);
gboolean gst_qsv_auto_enc_stream_has_failure (GstQsvAutoEnc * self);
/* with stream_lock held; takes @text */
void gst_qsv_auto_enc_stream_set_failure (GstQsvAutoEnc * self, gchar * text);
gboolean gst_qsv_auto_enc_stream_downstream_failed (GstQsvAutoEnc * self,
    GstFlowReturn ret);
GstFlowReturn gst_qsv_auto_enc_stream_fail_for_good (GstQsvAutoEnc * self,
    GstFlowReturn ret);

/* gstqsvautoencevents.c: the sink pad's events and queries */
void gst_qsv_auto_enc_events_init (GstQsvAutoEnc * self);
gboolean gst_qsv_auto_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);

/* gstqsvautoencoutput.c: what downstream sees */
void gst_qsv_auto_enc_output_init (GstQsvAutoEnc * self);
gboolean gst_qsv_auto_enc_stream_unordered (GstQsvAutoEnc * self);

/* gstqsvautoencwatchdog.c: inner errors and the stall watchdog */
gboolean gst_qsv_auto_enc_stream_handle_error (GstQsvAutoEnc * self,
    GstMessage * msg);
void gst_qsv_auto_enc_start_watchdog (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_stop_watchdog (GstQsvAutoEnc * self);
void gst_qsv_auto_enc_stream_set_playing (GstQsvAutoEnc * self,
    gboolean playing);

G_END_DECLS

#endif
