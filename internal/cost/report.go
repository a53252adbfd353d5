package cost

import (
	"fmt"
	"io"
	"strings"
)

// Print writes the itemized estimate, its total, what could not be priced,
// and the assumptions and price table it rests on.
func Print(w io.Writer, e *Estimate) {
	fmt.Fprintf(w, "Monthly cost estimate, %s (USD)\n", e.Region)
	for _, it := range e.Items {
		name := it.Type
		if it.Resource != "" {
			name = it.Stack + "/" + it.Resource
		}
		fmt.Fprintf(w, "  %9.2f  %-58s %s\n", it.Monthly, trim(name, 58), it.What)
	}
	fmt.Fprintf(w, "  %9.2f  total per month\n", e.Total())
	if len(e.Unpriced) > 0 {
		fmt.Fprintf(w, "  Not priced (%d resource(s) the price table does not cover; the total excludes them):\n", len(e.Unpriced))
		for _, u := range e.Unpriced {
			fmt.Fprintf(w, "    - %s\n", u)
		}
	}
	PrintAssumptions(w, e.Table)
}

// PrintAssumptions writes the basis of every estimate.
func PrintAssumptions(w io.Writer, t *Table) {
	a := t.Assumptions
	fmt.Fprintf(w, "  Assumptions: %g hours/month; minimum task counts running all month; baseline traffic of %g GB through NAT, %g GB out of CloudFront in %g million HTTPS requests, %g GB in S3, %g GB of logs, %g load balancer LCU; Aurora at its minimum capacity with %g GB; no free tier, no savings plans.\n",
		t.HoursPerMonth, a.NatProcessedGB, a.CloudFrontOutGB, a.CloudFrontRequestsMillion, a.S3StoredGB, a.LogsIngestedGB, a.ALBLCU, a.AuroraStorageGB)
	fmt.Fprintf(w, "  Prices as of %s. %s\n", t.AsOf, t.Source)
}

// PrintComparison writes two estimates side by side by resource type.
func PrintComparison(w io.Writer, names [2]string, es [2]*Estimate) {
	byType := [2]map[string]float64{{}, {}}
	var types []string
	for i, e := range es {
		for _, it := range e.Items {
			if _, seen := byType[0][it.Type]; !seen {
				if _, seen := byType[1][it.Type]; !seen {
					types = append(types, it.Type)
				}
			}
			byType[i][it.Type] += it.Monthly
		}
	}
	fmt.Fprintf(w, "Monthly cost, %s (USD)\n  %-45s %12s %12s\n", es[0].Region, "", names[0], names[1])
	for _, t := range types {
		fmt.Fprintf(w, "  %-45s %12.2f %12.2f\n", trim(t, 45), byType[0][t], byType[1][t])
	}
	fmt.Fprintf(w, "  %-45s %12.2f %12.2f\n", "total per month", es[0].Total(), es[1].Total())
	for i, e := range es {
		if len(e.Unpriced) > 0 {
			fmt.Fprintf(w, "  %s: %d resource(s) not priced: %s\n", names[i], len(e.Unpriced), strings.Join(e.Unpriced, "; "))
		}
	}
	PrintAssumptions(w, es[0].Table)
}

func trim(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
