package djangocdk

// applyNagSuppressions is filled in once the findings are known.
func applyNagSuppressions(d *djangoEcs) {}
