"""Webinars: the operations only webinars have (panelists, session branding, tracking
sources, absentees). Everything webinars share with meetings is served by the meetings
package's handlers, with the differences as data in meetings/kinds.py."""
