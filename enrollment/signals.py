"""Signals other apps listen to, so enrollment never calls them (surveys → enrollment, not the
other way round)."""

from django.dispatch import Signal

# Sent once per enrollment decided as completed, after the deciding transaction has committed
# (enrollment.attendance.course_completion_decide). Keyword arguments: `enrollment` (an
# Enrollment with status COMPLETED) and `course` (its CoursePage); sender is Enrollment.
#
# Receivers run in the caller's process after commit and must be quick: queue a task (by
# primary key) rather than render a certificate inline. A receiver's exception is logged and
# does not stop the others. The signal is not re-sent when the decision runs again, so work
# that must never be lost should also be recoverable from the data (every COMPLETED enrollment
# without a certificate, say) by a periodic sweep.
course_completed = Signal()
