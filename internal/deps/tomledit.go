package deps

import (
	"fmt"
	"strings"
)

// addArrayItem adds item (a TOML value) to the array `key` of [table] in
// text, creating the key, or the table at the end, when missing. The rest
// of the text is kept byte for byte; comment ("" or "  # ...") follows the
// item when the array spans lines.
func addArrayItem(text, table, key, item, comment string) (string, error) {
	entries, err := scanTOML(text)
	if err != nil {
		return "", err
	}
	header, kv := find(entries, table, key)
	switch {
	case kv != nil:
		if text[kv.valStart] != '[' {
			return "", fmt.Errorf("[%s] %s is not an array", table, key)
		}
		return insertIntoArray(text, *kv, item, comment), nil
	case header != nil:
		last := lastOfTable(entries, *header)
		indent := ""
		if !last.header {
			indent = leadingSpace(text, last.start)
		}
		block := indent + tomlKey(key) + " = [\n" + indent + "    " + item + "," + comment + "\n" + indent + "]\n"
		return insertLine(text, last.end, block), nil
	}
	return appendTable(text, table, tomlKey(key)+" = [\n    "+item+","+comment+"\n]\n"), nil
}

// addTableEntry adds `key = value` to [table], after its last statement,
// creating the table at the end of text when missing.
func addTableEntry(text, table, key, value, comment string) (string, error) {
	entries, err := scanTOML(text)
	if err != nil {
		return "", err
	}
	header, kv := find(entries, table, key)
	switch {
	case kv != nil:
		return "", fmt.Errorf("[%s] already has %s", table, key)
	case header != nil:
		last := lastOfTable(entries, *header)
		indent := ""
		if !last.header {
			indent = leadingSpace(text, last.start)
		}
		return insertLine(text, last.end, indent+tomlKey(key)+" = "+value+comment+"\n"), nil
	}
	return appendTable(text, table, tomlKey(key)+" = "+value+comment+"\n"), nil
}

// find returns the header of table and its statement setting key, if any.
func find(entries []tomlEntry, table, key string) (header, kv *tomlEntry) {
	for i := range entries {
		e := &entries[i]
		switch {
		case e.header && e.table == table && header == nil:
			header = e
		case !e.header && e.table == table && e.key == key:
			kv = e
		}
	}
	return header, kv
}

// lastOfTable returns the last statement of the table opened by header (or the header).
func lastOfTable(entries []tomlEntry, header tomlEntry) tomlEntry {
	last := header
	for _, e := range entries {
		if e.start <= header.start {
			continue
		}
		if e.header {
			break
		}
		last = e
	}
	return last
}

// insertIntoArray adds item to the array value of kv, keeping its layout:
// on one line it goes after the last element; when "]" has a line of its
// own, on a new line before it, indented as the elements.
func insertIntoArray(text string, kv tomlEntry, item, comment string) string {
	elems, after, _ := tomlScanner{text}.array(kv.valStart)
	closing := after - 1
	if !strings.Contains(text[kv.valStart:closing], "\n") {
		if len(elems) == 0 {
			return insertAt(text, kv.valStart+1, item)
		}
		return insertAt(text, elems[len(elems)-1].end, ", "+item)
	}
	if len(elems) > 0 {
		item = matchQuotes(text[elems[len(elems)-1].start], item)
	}
	closingLine := strings.LastIndexByte(text[:closing], '\n') + 1
	indent := leadingSpace(text, kv.start) + "    "
	if len(elems) > 0 && lineStart(text, elems[len(elems)-1].start) != lineStart(text, kv.valStart) {
		indent = leadingSpace(text, elems[len(elems)-1].start)
	}
	if strings.TrimSpace(text[closingLine:closing]) == "" {
		text = insertAt(text, closingLine, indent+item+","+comment+"\n")
		if n := len(elems); n > 0 && elems[n-1].comma < 0 {
			text = insertAt(text, elems[n-1].end, ",")
		}
		return text
	}
	last := elems[len(elems)-1] // "]" follows the last element on its line
	if last.comma >= 0 {
		return insertAt(text, last.comma+1, "\n"+indent+item)
	}
	return insertAt(text, last.end, ",\n"+indent+item)
}

// matchQuotes writes a basic string item as a literal one when the array's
// elements use single quotes and the content allows it.
func matchQuotes(quote byte, item string) string {
	if quote != '\'' || !strings.HasPrefix(item, `"`) || strings.ContainsAny(item, `'\`) {
		return item
	}
	return "'" + item[1:len(item)-1] + "'"
}

// appendTable adds a new [table] with body at the end of text.
func appendTable(text, table, body string) string {
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if text != "" {
		text += "\n"
	}
	return text + "[" + table + "]\n" + body
}

// insertLine inserts a whole line at offset i (a line start, or the end).
func insertLine(text string, i int, line string) string {
	if i == len(text) && text != "" && !strings.HasSuffix(text, "\n") {
		line = "\n" + line
	}
	return insertAt(text, i, line)
}

func insertAt(text string, i int, s string) string { return text[:i] + s + text[i:] }

func lineStart(text string, i int) int { return strings.LastIndexByte(text[:i], '\n') + 1 }

// leadingSpace returns the indentation of the line holding offset i.
func leadingSpace(text string, i int) string {
	line := text[lineStart(text, i):]
	return line[:len(line)-len(strings.TrimLeft(line, " \t"))]
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// tomlKey writes a key bare when it can be.
func tomlKey(k string) string {
	for i := 0; i < len(k); i++ {
		if !isBareKeyChar(k[i]) {
			return tomlString(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}
