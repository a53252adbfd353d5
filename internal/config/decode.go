package config

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// decoder fills a Config from a TOML table, collecting every unknown key
// and wrong type instead of stopping at the first.
type decoder struct {
	file     string
	prefix   string
	problems []Problem
}

func (d *decoder) add(key, msg string) {
	if d.prefix != "" {
		key = d.prefix + "." + key
	}
	d.problems = append(d.problems, Problem{File: d.file, Key: key, Message: msg})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decodeStruct decodes table into the struct pointed to by dst.
func (d *decoder) decodeStruct(dst any, table map[string]any, path string) {
	d.structValue(reflect.ValueOf(dst).Elem(), table, path)
}

func (d *decoder) structValue(v reflect.Value, table map[string]any, path string) {
	fields := map[string]int{}
	t := v.Type()
	for i := range t.NumField() {
		fields[t.Field(i).Tag.Get("toml")] = i
	}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		i, ok := fields[key]
		if !ok {
			msg := fmt.Sprintf("unknown key %q", key)
			if s := suggest(key, fieldKeys(t)); s != "" {
				msg += fmt.Sprintf(" — did you mean %q?", s)
			} else {
				msg += " (allowed: " + strings.Join(fieldKeys(t), ", ") + ")"
			}
			d.add(join(path, key), msg)
			continue
		}
		d.value(v.Field(i), table[key], join(path, key))
	}
}

func fieldKeys(t reflect.Type) []string {
	keys := make([]string, t.NumField())
	for i := range t.NumField() {
		keys[i] = t.Field(i).Tag.Get("toml")
	}
	return keys
}

func (d *decoder) value(v reflect.Value, raw any, path string) {
	switch v.Kind() {
	case reflect.String:
		s, ok := raw.(string)
		if !ok {
			d.add(path, fmt.Sprintf("must be a string, not %s", kind(raw)))
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := raw.(bool)
		if !ok {
			d.add(path, fmt.Sprintf("must be true or false, not %s", kind(raw)))
			return
		}
		v.SetBool(b)
	case reflect.Pointer: // *bool: "set" matters
		b, ok := raw.(bool)
		if !ok {
			d.add(path, fmt.Sprintf("must be true or false, not %s", kind(raw)))
			return
		}
		v.Set(reflect.ValueOf(&b))
	case reflect.Int:
		n, ok := raw.(int64)
		if !ok {
			d.add(path, fmt.Sprintf("must be an integer, not %s", kind(raw)))
			return
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			d.add(path, fmt.Sprintf("%d is out of range", n))
			return
		}
		v.SetInt(n)
	case reflect.Float64:
		switch n := raw.(type) {
		case float64:
			v.SetFloat(n)
		case int64:
			v.SetFloat(float64(n))
		default:
			d.add(path, fmt.Sprintf("must be a number, not %s", kind(raw)))
		}
	case reflect.Slice:
		d.slice(v, raw, path)
	case reflect.Map:
		table, ok := raw.(map[string]any)
		if !ok {
			d.add(path, fmt.Sprintf("must be a table of NAME = \"value\", not %s", kind(raw)))
			return
		}
		m := make(map[string]string, len(table))
		for k, item := range table {
			s, ok := item.(string)
			if !ok {
				d.add(join(path, k), fmt.Sprintf("must be a string, not %s", kind(item)))
				continue
			}
			m[k] = s
		}
		v.Set(reflect.ValueOf(m))
	case reflect.Struct:
		table, ok := raw.(map[string]any)
		if !ok {
			d.add(path, fmt.Sprintf("must be a table ([%s]), not %s", path, kind(raw)))
			return
		}
		d.structValue(v, table, path)
	}
}

// slice decodes []string and [][]string.
func (d *decoder) slice(v reflect.Value, raw any, path string) {
	items, ok := raw.([]any)
	if !ok {
		d.add(path, fmt.Sprintf("must be an array, not %s", kind(raw)))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(items), len(items))
	for i, item := range items {
		d.value(out.Index(i), item, fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(out)
}

// kind names a decoded TOML value's type for messages.
func kind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

// suggest returns the candidate closest to key, if it is close enough to be
// a typo (edit distance at most 2, or 3 for long keys).
func suggest(key string, candidates []string) string {
	best, bestDist := "", math.MaxInt
	for _, c := range candidates {
		if dist := levenshtein(strings.ToLower(key), c); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	limit := 2
	if len(key) > 8 {
		limit = 3
	}
	if bestDist <= limit {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
