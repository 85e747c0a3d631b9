package org.ppaforge.web.view;

import java.util.Map;

/** A destructive action asks first: what will happen, and a form that posts it again with {@code confirm=yes}. */
public record ConfirmView(Page page, String question, String action, Map<String, String> fields, String back) {}
