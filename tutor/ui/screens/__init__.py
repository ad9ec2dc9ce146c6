"""Full screens of the tutor app: the scenario picker, the lesson and the load error."""
