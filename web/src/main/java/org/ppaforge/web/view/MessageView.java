package org.ppaforge.web.view;

/** A page that only says something: an error (with its status) or the sign-in form's answer. */
public record MessageView(Page page, int status, String message) {}
