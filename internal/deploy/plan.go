package deploy

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Which stack a step deploys.
const (
	// DataStep deploys the stateful stack (network, secrets, database, cache, queues, buckets).
	DataStep = "data"
	// AppStep deploys the compute stack, which imports the data stack's exports.
	AppStep = "app"
)

// Exports is what the two stacks share through CloudFormation exports, on
// one side: deployed (from CloudFormation) or new (from the synthesized templates).
type Exports struct {
	// Data maps the data stack's export names to their values (values are
	// known for the deployed side only).
	Data map[string]string
	// AppImports are the export names the app stack imports (Fn::ImportValue).
	AppImports []string
	// DataExists and AppExists say whether the stacks exist (deployed side).
	DataExists, AppExists bool
}

// Step is one stack deployment of a plan.
type Step struct {
	// Stack is DataStep or AppStep.
	Stack string
	// KeepExports are exports (with their deployed values) the data stack
	// keeps while the app stack still imports them; the step deploys
	// BridgeAssembly, which keeps the resources behind them too.
	KeepExports map[string]string
}

// Plan is the order of the stack deployments, and why.
type Plan struct {
	// Steps in order.
	Steps []Step
	// Why explains the order in one sentence.
	Why string
}

// PlanOrder decides in which order to deploy the stacks so that no step
// deletes an export the deployed app stack still imports (CloudFormation:
// "Cannot delete export ... as it is in use") and no step imports an export
// that does not exist yet:
//
//   - no import the deployed app uses disappears: data, then app (normal);
//   - one disappears and the new app needs nothing the deployed data stack
//     lacks: app first (it stops using the part), then data (the part goes);
//   - one disappears and the new app also needs new exports: data with the
//     disappearing exports kept as literal outputs of their deployed values
//     (CloudFormation accepts an in-use export whose value does not change),
//     then app, then data without them.
func PlanOrder(deployed, next Exports) Plan {
	gone := disappearing(deployed, next)
	missing := missingImports(deployed, next)
	switch {
	case len(gone) == 0:
		return Plan{Steps: []Step{{Stack: DataStep}, {Stack: AppStep}}, Why: "normal order: the data stack first, then the app stack that uses it"}
	case len(missing) == 0:
		return Plan{Steps: []Step{{Stack: AppStep}, {Stack: DataStep}},
			Why: fmt.Sprintf("the app stack first: it stops importing %s, which the data stack then removes", nameList(gone))}
	default:
		keep := map[string]string{}
		for _, name := range gone {
			keep[name] = deployed.Data[name]
		}
		return Plan{Steps: []Step{{Stack: DataStep, KeepExports: keep}, {Stack: AppStep}, {Stack: DataStep}},
			Why: fmt.Sprintf("three steps: the data stack adds %s and keeps %s until the app stack stops importing them, then the app stack, then the data stack removes them",
				nameList(missing), nameList(gone))}
	}
}

// disappearing are the exports the deployed app imports that the new data
// stack no longer exports.
func disappearing(deployed, next Exports) []string {
	if !deployed.AppExists {
		return nil
	}
	var out []string
	for _, name := range deployed.AppImports {
		if _, ok := deployed.Data[name]; !ok {
			continue // not the data stack's (nothing we can order around)
		}
		if _, ok := next.Data[name]; !ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// missingImports are the new app's imports the deployed data stack lacks.
func missingImports(deployed, next Exports) []string {
	var out []string
	for _, name := range next.AppImports {
		if _, ok := deployed.Data[name]; !ok || !deployed.DataExists {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func nameList(names []string) string {
	short := make([]string, len(names))
	for i, n := range names {
		short[i] = n
		if _, after, ok := strings.Cut(n, ":"); ok {
			short[i] = after
		}
	}
	if len(short) > 3 {
		return fmt.Sprintf("%s and %d more export(s)", strings.Join(short[:3], ", "), len(short)-3)
	}
	return strings.Join(short, ", ")
}

// Check simulates the plan from the deployed state and returns an error
// naming the first step CloudFormation would fail: a data step deleting an
// export the app stack imports at that moment, or an app step importing an
// export that does not exist at that moment.
func (p Plan) Check(deployed, next Exports) error {
	exports := map[string]bool{}
	if deployed.DataExists {
		for name := range deployed.Data {
			exports[name] = true
		}
	}
	var imports []string
	if deployed.AppExists {
		imports = deployed.AppImports
	}
	for i, s := range p.Steps {
		switch s.Stack {
		case DataStep:
			now := map[string]bool{}
			for name := range next.Data {
				now[name] = true
			}
			for name := range s.KeepExports {
				now[name] = true
			}
			for _, name := range imports {
				if exports[name] && !now[name] {
					return fmt.Errorf("step %d (data stack) would delete export %s while the app stack imports it", i+1, name)
				}
			}
			exports = now
		case AppStep:
			for _, name := range next.AppImports {
				if !exports[name] {
					return fmt.Errorf("step %d (app stack) imports %s, which does not exist at that moment", i+1, name)
				}
			}
			imports = next.AppImports
		default:
			return fmt.Errorf("step %d: unknown stack %q", i+1, s.Stack)
		}
	}
	return nil
}

// TemplateExports returns the export names of a template's outputs.
func TemplateExports(body []byte) (map[string]string, error) {
	var t struct {
		Outputs map[string]struct {
			Export *struct {
				Name any `json:"Name"`
			} `json:"Export"`
		} `json:"Outputs"`
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	out := map[string]string{}
	for id, o := range t.Outputs {
		if o.Export == nil {
			continue
		}
		name, ok := o.Export.Name.(string)
		if !ok {
			return nil, fmt.Errorf("output %s: export name is not a literal string", id)
		}
		out[name] = ""
	}
	return out, nil
}

// TemplateImports returns the export names a template imports with a
// literal Fn::ImportValue, sorted.
func TemplateImports(body []byte) ([]string, error) {
	var t any
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if name, ok := x.(string); ok && k == "Fn::ImportValue" {
					seen[name] = true
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(t)
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}
