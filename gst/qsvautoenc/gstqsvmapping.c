/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Mapping: the uniform settings onto a candidate's properties, read from
 * its row's table (one mapper for every encoder), and the assignments
 * given to the child as GValues of the property's type. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvencodercatalog-priv.h"

/* indexed by GstQsvSetting: the element's property, and what it counts */
static const struct
{
  const gchar *name;
  const gchar *what;
} settings_info[] = {
  {"rate-control", "rate-control modes"}, {"bitrate", "bitrate"},
  {"qp", "quantizers"}, {"key-int-max", "keyframe interval"},
  {"b-frames", "B-frames"}, {"target-usage", "speed presets"},
  {"low-latency", "low-latency mode"}, {"low-power", "low-power mode"},
};

G_STATIC_ASSERT (G_N_ELEMENTS (settings_info) == GST_QSV_SETTING_LOW_POWER + 1);

void
gst_qsv_assignment_free (GstQsvAssignment * a)
{
  if (!a)
    return;
  g_value_unset (&a->value);
  g_free (a);
}

static GstQsvAssignment *
assignment_new (const GstQsvPropertyMap * m, GType type)
{
  GstQsvAssignment *a = g_new0 (GstQsvAssignment, 1);

  a->name = m->property;
  a->setting = m->setting;
  a->essential = (m->flags & GST_QSV_MAP_ESSENTIAL) != 0;
  g_value_init (&a->value, type);
  return a;
}

/* low-latency means no B-frames on every encoder */
static guint
effective_b_frames (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * warnings)
{
  if (s->low_latency && s->b_frames > 0) {
    g_ptr_array_add (warnings, g_strdup_printf ("b-frames=%u ignored on %s: "
            "low-latency encodes without B-frames", s->b_frames,
            c->info->factory));
    return 0;
  }
  return s->b_frames;
}

/* The value of @setting for @c; warnings about it go to @warnings when
 * the row maps it to a property (@mapped) */
static guint
setting_value (const GstQsvCandidate * c, const GstQsvSettings * s,
    GstQsvSetting setting, gboolean mapped, GPtrArray * warnings)
{
  switch (setting) {
    case GST_QSV_SETTING_RATE_CONTROL:
      return c->rate_control;
    case GST_QSV_SETTING_BITRATE:
      return s->bitrate;
    case GST_QSV_SETTING_QP:
      return s->qp;
    case GST_QSV_SETTING_KEY_INT_MAX:
      return s->key_int_max;
    case GST_QSV_SETTING_B_FRAMES:
      if (!mapped)
        return s->low_latency ? 0 : s->b_frames;
      return effective_b_frames (c, s, warnings);
    case GST_QSV_SETTING_TARGET_USAGE:
      return s->target_usage;
    case GST_QSV_SETTING_LOW_LATENCY:
      return s->low_latency;
    case GST_QSV_SETTING_LOW_POWER:
      return c->low_power_entrypoint;
  }
  g_return_val_if_reached (0);
}

/* Why an entry is skipped may be worth saying: a bitrate the user set, on
 * an encoder that can only do constant QP here. */
static void
warn_skipped (const GstQsvCandidate * c, const GstQsvSettings * s,
    const GstQsvPropertyMap * m, GPtrArray * warnings)
{
  if ((m->flags & GST_QSV_MAP_WARN_UNUSED) &&
      m->setting == GST_QSV_SETTING_BITRATE &&
      c->rate_control == GST_QSV_RATE_CONTROL_CQP && s->bitrate_set &&
      s->rate_control == GST_QSV_RATE_CONTROL_AUTO)
    g_ptr_array_add (warnings, g_strdup_printf ("bitrate=%u ignored: %s "
            "offers only constant QP here, encoding with qp=%u", s->bitrate,
            c->info->factory, s->qp));
}

static const gchar *
nick_for (const GstQsvPropertyMap * m, guint value)
{
  guint i;

  for (i = 0; i < value && m->nicks[i + 1]; i++);
  return m->nicks[i];
}

/* The assignment of one table entry, or NULL if it gives none. */
static GstQsvAssignment *
map_entry (const GstQsvCandidate * c, const GstQsvSettings * s,
    const GstQsvPropertyMap * m, GPtrArray * warnings)
{
  GstQsvAssignment *a = NULL;
  guint value;

  if (m->rc_modes && !(m->rc_modes & GST_QSV_RC_MASK (c->rate_control))) {
    warn_skipped (c, s, m, warnings);
    return NULL;
  }
  value = setting_value (c, s, m->setting,
      m->kind != GST_QSV_MAP_UNSUPPORTED, warnings);
  if ((m->flags & GST_QSV_MAP_WHEN_SET) && value == 0)
    return NULL;

  switch (m->kind) {
    case GST_QSV_MAP_UINT:
      if (m->max && value > m->max) {
        g_ptr_array_add (warnings, g_strdup_printf ("%s=%u is out of %s's "
                "range (0-%u): using %u", settings_info[m->setting].name,
                value, c->info->factory, m->max, m->max));
        value = m->max;
      }
      a = assignment_new (m, G_TYPE_UINT);
      g_value_set_uint (&a->value, value * MAX (m->scale, 1));
      break;
    case GST_QSV_MAP_BOOLEAN:
      a = assignment_new (m, G_TYPE_BOOLEAN);
      g_value_set_boolean (&a->value, value != 0);
      break;
    case GST_QSV_MAP_NICK:
      a = assignment_new (m, G_TYPE_STRING);
      g_value_set_static_string (&a->value, nick_for (m, value));
      break;
    case GST_QSV_MAP_FIXED_TEXT:
      a = assignment_new (m, G_TYPE_STRING);
      g_value_set_static_string (&a->value, m->text);
      break;
    case GST_QSV_MAP_OPTION:
      a = assignment_new (m, G_TYPE_STRING);
      g_value_take_string (&a->value, g_strdup_printf ("%s=%u", m->text,
              value * MAX (m->scale, 1)));
      break;
    case GST_QSV_MAP_FIXED_FALSE:
      a = assignment_new (m, G_TYPE_BOOLEAN);
      g_value_set_boolean (&a->value, FALSE);
      break;
    case GST_QSV_MAP_UNSUPPORTED:
      if (value > 0)
        g_ptr_array_add (warnings, g_strdup_printf ("%s=%u ignored: %s "
                "encodes no %s", settings_info[m->setting].name, value,
                c->info->factory, settings_info[m->setting].what));
      break;
    case GST_QSV_MAP_END:
      g_assert_not_reached ();
  }
  return a;
}

GPtrArray *
gst_qsv_candidate_map_settings (const GstQsvCandidate * candidate,
    const GstQsvSettings * settings, GPtrArray * warnings)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_qsv_assignment_free);
  const GstQsvPropertyMap *m;

  for (m = candidate->info->map; m->kind != GST_QSV_MAP_END; m++) {
    GstQsvAssignment *a = map_entry (candidate, settings, m, warnings);
    guint i;

    if (a && (m->flags & GST_QSV_MAP_APPEND)) {
      for (i = 0; i < out->len; i++) {
        GstQsvAssignment *b = g_ptr_array_index (out, i);

        if (g_str_equal (b->name, a->name) &&
            G_VALUE_HOLDS_STRING (&b->value)) {
          gchar *joined = g_strconcat (g_value_get_string (&b->value), ":",
              g_value_get_string (&a->value), NULL);

          g_value_take_string (&b->value, joined);
          b->essential |= a->essential;
          gst_qsv_assignment_free (a);
          a = NULL;
          break;
        }
      }
    }
    if (a)
      g_ptr_array_add (out, a);
  }
  return out;
}

GstQsvAssignment *
gst_qsv_candidate_map_bitrate (const GstQsvCandidate * candidate,
    guint bitrate)
{
  const GstQsvPropertyMap *m;
  GstQsvAssignment *a;

  if (candidate->rate_control == GST_QSV_RATE_CONTROL_CQP)
    return NULL;
  for (m = candidate->info->map; m->kind != GST_QSV_MAP_END; m++) {
    if (m->setting == GST_QSV_SETTING_BITRATE && m->kind == GST_QSV_MAP_UINT)
      break;
  }
  if (m->kind == GST_QSV_MAP_END || (m->rc_modes &&
          !(m->rc_modes & GST_QSV_RC_MASK (candidate->rate_control))))
    return NULL;
  a = assignment_new (m, G_TYPE_UINT);
  g_value_set_uint (&a->value, bitrate * MAX (m->scale, 1));
  return a;
}

gchar *
gst_qsv_assignment_value_text (const GstQsvAssignment * a)
{
  const GValue *v = &a->value;

  if (G_VALUE_HOLDS_STRING (v))
    return g_value_dup_string (v);
  if (G_VALUE_HOLDS_BOOLEAN (v))
    return g_strdup (g_value_get_boolean (v) ? "true" : "false");
  if (G_VALUE_HOLDS_UINT (v))
    return g_strdup_printf ("%u", g_value_get_uint (v));
  return g_strdup_value_contents (v);
}

/* @a's nick as a value of the enum or flags @pspec; FALSE if it has none */
static gboolean
nick_to_value (const GstQsvAssignment * a, GParamSpec * pspec, GValue * out)
{
  const gchar *nick = g_value_get_string (&a->value);

  if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    GEnumValue *e = nick ? g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM
        (pspec)->enum_class, nick) : NULL;

    if (e)
      g_value_set_enum (out, e->value);
    return e != NULL;
  } else {
    GFlagsValue *f = nick ? g_flags_get_value_by_nick (G_PARAM_SPEC_FLAGS
        (pspec)->flags_class, nick) : NULL;

    if (f)
      g_value_set_flags (out, f->value);
    return f != NULL;
  }
}

gboolean
gst_qsv_assignment_apply (const GstQsvAssignment * a, GObject * child,
    const gchar * child_name, GError ** error)
{
  GParamSpec *pspec;
  GValue value = G_VALUE_INIT;
  gchar *text = NULL;
  gboolean ok = FALSE;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), a->name);
  if (!pspec)
    goto no_property;
  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  if (G_VALUE_HOLDS_STRING (&a->value) && (G_IS_PARAM_SPEC_ENUM (pspec) ||
          G_IS_PARAM_SPEC_FLAGS (pspec))) {
    if (!nick_to_value (a, pspec, &value))
      goto no_value;
  } else if (!g_value_transform (&a->value, &value)) {
    goto wrong_type;
  }
  g_object_set_property (child, a->name, &value);
  ok = TRUE;

done:
  if (G_IS_VALUE (&value))
    g_value_unset (&value);
  g_free (text);
  return ok;

  /* ERRORS */
no_property:
  text = gst_qsv_assignment_value_text (a);
  g_set_error (error, GST_QSV_CATALOG_ERROR,
      GST_QSV_CATALOG_ERROR_NO_PROPERTY,
      "%s has no property '%s'; %s=%s not applied", child_name, a->name,
      a->name, text);
  goto done;
no_value:
  text = gst_qsv_assignment_value_text (a);
  g_set_error (error, GST_QSV_CATALOG_ERROR, GST_QSV_CATALOG_ERROR_NO_VALUE,
      "%s has no %s '%s'", child_name, a->name, text);
  goto done;
wrong_type:
  text = gst_qsv_assignment_value_text (a);
  g_set_error (error, GST_QSV_CATALOG_ERROR, GST_QSV_CATALOG_ERROR_TYPE,
      "%s's %s is a %s, which %s=%s does not convert to; not applied",
      child_name, a->name, g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)),
      a->name, text);
  goto done;
}

gboolean
gst_qsv_assignment_rejects (const GstQsvAssignment * a, const GError * error)
{
  return a->essential && g_error_matches (error, GST_QSV_CATALOG_ERROR,
      GST_QSV_CATALOG_ERROR_NO_VALUE);
}
