package deps

import (
	"fmt"
	"regexp"
	"strings"
)

// tomlEntry is a header or a key/value statement of a TOML text, with its
// offsets, so that Add can insert text without rewriting the file.
type tomlEntry struct {
	header   bool   // a [table] line (array tables [[...]] too)
	table    string // the header's name, or the table a key belongs to ("" at the top)
	key      string // dotted key of a key/value, unquoted
	start    int    // offset of the statement's first line
	valStart int    // offset of the value (key/values)
	valEnd   int    // offset just past the value
	end      int    // offset just past the statement's last line (its newline, or the end)
}

// tomlScanner walks a TOML text structurally: strings, arrays, inline
// tables and comments, without building values.
type tomlScanner struct {
	text string
}

// scanTOML returns the statements of text in order.
func scanTOML(text string) ([]tomlEntry, error) {
	s := tomlScanner{text}
	var out []tomlEntry
	table := ""
	for i := 0; i < len(text); {
		j := s.skipBlank(i, false)
		switch {
		case j >= len(text):
			return out, nil
		case text[j] == '\n':
			i = j + 1
			continue
		case text[j] == '#':
			i = s.lineEnd(j)
			continue
		}
		e := tomlEntry{start: i}
		if text[j] == '[' {
			k := j + 1
			if strings.HasPrefix(text[j:], "[[") {
				k++
			}
			name, k, err := s.key(k)
			if err != nil {
				return nil, err
			}
			k = s.skipBlank(k, false)
			if k >= len(text) || text[k] != ']' {
				return nil, s.errorAt(k, "expected ] after the table name")
			}
			k++
			if strings.HasPrefix(text[j:], "[[") {
				k++
			}
			e.header, e.table, table = true, name, name
			e.valStart, e.valEnd = k, k
			if e.end, err = s.restOfLine(k); err != nil {
				return nil, err
			}
		} else {
			key, k, err := s.key(j)
			if err != nil {
				return nil, err
			}
			k = s.skipBlank(k, false)
			if k >= len(text) || text[k] != '=' {
				return nil, s.errorAt(k, "expected = after the key")
			}
			e.table, e.key = table, key
			e.valStart = s.skipBlank(k+1, false)
			if e.valEnd, err = s.value(e.valStart); err != nil {
				return nil, err
			}
			if e.end, err = s.restOfLine(e.valEnd); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
		i = e.end
	}
	return out, nil
}

func (s tomlScanner) errorAt(i int, msg string) error {
	return fmt.Errorf("line %d: %s", strings.Count(s.text[:min(i, len(s.text))], "\n")+1, msg)
}

// skipBlank skips spaces and tabs (and newlines and comments when multiline).
func (s tomlScanner) skipBlank(i int, multiline bool) int {
	for i < len(s.text) {
		switch c := s.text[i]; {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case multiline && c == '\n':
			i++
		case multiline && c == '#':
			i = s.lineEnd(i)
		default:
			return i
		}
	}
	return i
}

// lineEnd returns the offset after the newline ending the line of i.
func (s tomlScanner) lineEnd(i int) int {
	if n := strings.IndexByte(s.text[i:], '\n'); n >= 0 {
		return i + n + 1
	}
	return len(s.text)
}

// restOfLine allows a comment after a statement and returns the next line's offset.
func (s tomlScanner) restOfLine(i int) (int, error) {
	i = s.skipBlank(i, false)
	switch {
	case i >= len(s.text):
		return i, nil
	case s.text[i] == '#' || s.text[i] == '\n':
		return s.lineEnd(i), nil
	}
	return 0, s.errorAt(i, "unexpected text after the value")
}

// key reads a dotted key of bare and quoted parts.
func (s tomlScanner) key(i int) (string, int, error) {
	var parts []string
	for {
		i = s.skipBlank(i, false)
		if i >= len(s.text) {
			return "", i, s.errorAt(i, "expected a key")
		}
		switch c := s.text[i]; {
		case c == '"' || c == '\'':
			end, err := s.str(i)
			if err != nil {
				return "", i, err
			}
			raw := s.text[i+1 : end-1]
			if c == '"' {
				raw = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(raw)
			}
			parts, i = append(parts, raw), end
		default:
			start := i
			for i < len(s.text) && (isBareKeyChar(s.text[i])) {
				i++
			}
			if i == start {
				return "", i, s.errorAt(i, "expected a key")
			}
			parts = append(parts, s.text[start:i])
		}
		i = s.skipBlank(i, false)
		if i >= len(s.text) || s.text[i] != '.' {
			return strings.Join(parts, "."), i, nil
		}
		i++
	}
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value returns the offset just past the value starting at i.
func (s tomlScanner) value(i int) (int, error) {
	if i >= len(s.text) {
		return i, s.errorAt(i, "expected a value")
	}
	switch s.text[i] {
	case '"', '\'':
		return s.str(i)
	case '[':
		_, end, err := s.array(i)
		return end, err
	case '{':
		return s.inlineTable(i)
	}
	// Numbers, booleans, dates: up to a delimiter or a space (a space may
	// separate a date from its time).
	end := i
	for end < len(s.text) && !strings.ContainsRune(",]}#\n \t\r", rune(s.text[end])) {
		end++
	}
	if localDate.MatchString(s.text[i:end]) && end+1 < len(s.text) && s.text[end] == ' ' && s.text[end+1] >= '0' && s.text[end+1] <= '9' {
		end++
		for end < len(s.text) && !strings.ContainsRune(",]}#\n \t\r", rune(s.text[end])) {
			end++
		}
	}
	if end == i {
		return i, s.errorAt(i, "expected a value")
	}
	return end, nil
}

var localDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// str returns the offset past the string (any of the four kinds) at i.
func (s tomlScanner) str(i int) (int, error) {
	q := s.text[i]
	if strings.HasPrefix(s.text[i:], strings.Repeat(string(q), 3)) {
		delim := strings.Repeat(string(q), 3)
		for j := i + 3; j < len(s.text); j++ {
			if q == '"' && s.text[j] == '\\' {
				j++
				continue
			}
			if strings.HasPrefix(s.text[j:], delim) {
				j += 3
				for j < len(s.text) && s.text[j] == q { // up to two quotes may end the content
					j++
				}
				return j, nil
			}
		}
		return i, s.errorAt(i, "unterminated multi-line string")
	}
	for j := i + 1; j < len(s.text) && s.text[j] != '\n'; j++ {
		switch {
		case q == '"' && s.text[j] == '\\':
			j++
		case s.text[j] == q:
			return j + 1, nil
		}
	}
	return i, s.errorAt(i, "unterminated string")
}

// span is an array element: its offsets, and the offset of the comma after it (-1 if none).
type span struct{ start, end, comma int }

// array returns the elements of the array at i and the offset past its "]".
func (s tomlScanner) array(i int) ([]span, int, error) {
	var elems []span
	j := i + 1
	for {
		j = s.skipBlank(j, true)
		if j >= len(s.text) {
			return nil, j, s.errorAt(i, "unterminated array")
		}
		if s.text[j] == ']' {
			return elems, j + 1, nil
		}
		end, err := s.value(j)
		if err != nil {
			return nil, j, err
		}
		e := span{start: j, end: end, comma: -1}
		j = s.skipBlank(end, true)
		if j < len(s.text) && s.text[j] == ',' {
			e.comma = j
			j++
		} else if j < len(s.text) && s.text[j] != ']' {
			return nil, j, s.errorAt(j, "expected , or ] in the array")
		}
		elems = append(elems, e)
	}
}

// inlineTable returns the offset past the inline table at i.
func (s tomlScanner) inlineTable(i int) (int, error) {
	j := i + 1
	for {
		j = s.skipBlank(j, true)
		if j >= len(s.text) {
			return j, s.errorAt(i, "unterminated inline table")
		}
		switch s.text[j] {
		case '}':
			return j + 1, nil
		case ',':
			j++
			continue
		}
		_, k, err := s.key(j)
		if err != nil {
			return j, err
		}
		k = s.skipBlank(k, false)
		if k >= len(s.text) || s.text[k] != '=' {
			return k, s.errorAt(k, "expected = in the inline table")
		}
		if j, err = s.value(s.skipBlank(k+1, false)); err != nil {
			return j, err
		}
	}
}
