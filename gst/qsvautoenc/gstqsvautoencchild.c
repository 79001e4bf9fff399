/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The encoder child of the application (GstChildProxy): properties set on
 * it (gst-launch's encoder::threads=2, gst_child_proxy_set_property) are
 * remembered and given to every encoder the bin creates. Runs in the
 * application's thread (lookups, sets) and wherever a candidate is made;
 * the remembered values are under the object lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

/* the child the application looked up in this thread (see child_notify) */
static GPrivate user_lookup;
static GstChildProxyInterface *parent_child_proxy;

/* A lookup of the application's is over (a candidate is made meanwhile) */
void
gst_qsv_auto_enc_forget_lookup (void)
{
  g_private_set (&user_lookup, NULL);
}

/* ---------------------------------------------------------------------- */
/* encoder::prop=value                                                    */

/* Properties the application sets on the child (gst-launch's
 * encoder::threads=2, gst_child_proxy_set_property) are remembered and
 * given to every encoder the bin creates that has them, not only the one
 * that happened to exist. They are recognised as the child's notify in
 * the thread that looked the child up, or while gst-launch's delayed
 * setter runs at gst_bin_add. */
static void
child_notify (GObject * child, GParamSpec * pspec, GstQsvAutoEnc * self)
{
  GValue *v;

  if (g_private_get (&user_lookup) != child)
    return;
  if (!(pspec->flags & G_PARAM_READABLE) || !(pspec->flags &
          G_PARAM_WRITABLE) || pspec->owner_type == GST_TYPE_OBJECT ||
      pspec->owner_type == G_TYPE_OBJECT)
    return;
  v = g_new0 (GValue, 1);
  g_value_init (v, pspec->value_type);
  g_object_get_property (child, pspec->name, v);
  GST_INFO_OBJECT (self, "remembering encoder::%s for every encoder",
      pspec->name);
  GST_OBJECT_LOCK (self);
  g_hash_table_replace (self->child_overrides, g_strdup (pspec->name), v);
  GST_OBJECT_UNLOCK (self);
}

void
gst_qsv_auto_enc_capture_child_overrides (GstQsvAutoEnc * self,
    GstElement * enc)
{
  g_signal_connect_object (enc, "notify", G_CALLBACK (child_notify), self, 0);
  g_private_set (&user_lookup, enc);
}

void
gst_qsv_auto_enc_release_child_overrides (GstQsvAutoEnc * self,
    GstElement * enc)
{
  gst_qsv_auto_enc_forget_lookup ();
}

void
gst_qsv_auto_enc_apply_child_overrides (GstQsvAutoEnc * self, GstElement * enc)
{
  GHashTableIter iter;
  gpointer name, value;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GArray *values = g_array_new (FALSE, TRUE, sizeof (GValue));
  guint i;

  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);
  GST_OBJECT_LOCK (self);
  g_hash_table_iter_init (&iter, self->child_overrides);
  while (g_hash_table_iter_next (&iter, &name, &value)) {
    GValue copy = G_VALUE_INIT;

    g_value_init (&copy, G_VALUE_TYPE ((GValue *) value));
    g_value_copy (value, &copy);
    g_ptr_array_add (names, g_strdup (name));
    g_array_append_val (values, copy);
  }
  GST_OBJECT_UNLOCK (self);
  for (i = 0; i < names->len; i++) {
    const gchar *n = g_ptr_array_index (names, i);
    GParamSpec *pspec =
        g_object_class_find_property (G_OBJECT_GET_CLASS (enc), n);
    GValue *v = &g_array_index (values, GValue, i);

    if (pspec && (pspec->flags & G_PARAM_WRITABLE) &&
        g_value_type_transformable (G_VALUE_TYPE (v), pspec->value_type)) {
      GST_DEBUG_OBJECT (self, "encoder::%s from the application", n);
      g_object_set_property (G_OBJECT (enc), n, v);
    } else {
      GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("encoder::%s does not "
              "apply to %s, which has no such property", n,
              GST_OBJECT_NAME (gst_element_get_factory (enc))), (NULL));
    }
  }
  g_ptr_array_unref (names);
  g_array_unref (values);
}

static GObject *
gst_qsv_auto_enc_get_child_by_name (GstChildProxy * proxy, const gchar * name)
{
  GObject *child = parent_child_proxy->get_child_by_name (proxy, name);
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (proxy);
  gboolean is_encoder;

  GST_OBJECT_LOCK (self);
  is_encoder = child && (GstElement *) child == self->encoder;
  GST_OBJECT_UNLOCK (self);
  /* the application is about to read or set one of its properties (or
   * gst-launch's delayed setter, while the bin adds the child) */
  if (is_encoder)
    g_private_set (&user_lookup, child);
  else if (g_private_get (&user_lookup) != child)
    gst_qsv_auto_enc_forget_lookup ();
  return child;
}

void
gst_qsv_auto_enc_child_proxy_init (gpointer g_iface, gpointer iface_data)
{
  GstChildProxyInterface *iface = g_iface;

  parent_child_proxy = g_type_interface_peek_parent (iface);
  iface->get_child_by_name = gst_qsv_auto_enc_get_child_by_name;
  iface->get_child_by_index = parent_child_proxy->get_child_by_index;
  iface->get_children_count = parent_child_proxy->get_children_count;
}
