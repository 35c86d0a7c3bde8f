// Render a Helm chart as `helm template` does, for the part of Helm the
// project's chart uses: Go text/template with the sprig functions (both
// what Helm itself is built on, here from Debian's packages), plus Helm's
// include, toYaml, required and tpl; values.yaml deep-merged with -f files
// and --set a.b=c pairs; .Chart, .Release and .Values. Helm is not
// packaged for Debian, and the chart must still be rendered in the tests.
//
// usage: go run render.go CHART [--strict] [-f VALUES]... [--set KEY=VALUE]...
// Prints every non-empty manifest, each after "---\n# Source: NAME".
// --strict fails on a reference to a value that does not exist (Helm
// renders those as empty, which hides typos).
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	sprig "github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

type values = map[string]interface{}

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "render: "+format+"\n", args...)
	os.Exit(1)
}

// normalize turns yaml.v2's map[interface{}]interface{} into string-keyed maps.
func normalize(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := values{}
		for k, e := range t {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []interface{}:
		for i := range t {
			t[i] = normalize(t[i])
		}
	}
	return v
}

func readYAML(path string) values {
	data, err := os.ReadFile(path)
	if err != nil {
		die("%v", err)
	}
	var v interface{}
	if err := yaml.Unmarshal(data, &v); err != nil {
		die("%s: %v", path, err)
	}
	if v == nil {
		return values{}
	}
	return normalize(v).(values)
}

func merge(dst, src values) {
	for k, v := range src {
		if sm, ok := v.(values); ok {
			if dm, ok := dst[k].(values); ok {
				merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

func set(dst values, pair string) {
	eq := strings.Index(pair, "=")
	if eq < 0 {
		die("--set %s: not KEY=VALUE", pair)
	}
	keys := strings.Split(pair[:eq], ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := dst[k].(values)
		if !ok {
			next = values{}
			dst[k] = next
		}
		dst = next
	}
	dst[keys[len(keys)-1]] = pair[eq+1:]
}

func toYaml(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func main() {
	if len(os.Args) < 2 {
		die("usage: render CHART [-f VALUES]... [--set K=V]...")
	}
	chartDir := os.Args[1]
	missing := "missingkey=zero"
	vals := readYAML(filepath.Join(chartDir, "values.yaml"))
	for i := 2; i < len(os.Args); i++ {
		switch os.Args[i] {
		case "--strict":
			missing = "missingkey=error"
		case "-f":
			i++
			merge(vals, readYAML(os.Args[i]))
		case "--set":
			i++
			set(vals, os.Args[i])
		default:
			die("unknown argument %s", os.Args[i])
		}
	}
	meta := readYAML(filepath.Join(chartDir, "Chart.yaml"))
	data := map[string]interface{}{
		"Values": vals,
		"Chart": map[string]interface{}{
			"Name": meta["name"], "Version": meta["version"], "AppVersion": meta["appVersion"],
		},
		"Release": map[string]interface{}{
			"Name": "schema-registry", "Namespace": "schema-registry", "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false,
		},
	}
	root := template.New("chart")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = toYaml
	funcs["include"] = func(name string, v interface{}) (string, error) {
		var b bytes.Buffer
		err := root.ExecuteTemplate(&b, name, v)
		return b.String(), err
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return nil, fmt.Errorf("%s", msg)
		}
		return v, nil
	}
	funcs["tpl"] = func(text string, v interface{}) (string, error) {
		t, err := root.Clone()
		if err == nil {
			t, err = t.New("tpl").Parse(text)
		}
		var b bytes.Buffer
		if err == nil {
			err = t.Execute(&b, v)
		}
		return b.String(), err
	}
	root.Funcs(funcs).Option(missing)
	files, _ := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	sort.Strings(files)
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			die("%v", err)
		}
		if _, err := root.New(filepath.Base(f)).Parse(string(text)); err != nil {
			die("%v", err)
		}
	}
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "_") || !strings.HasSuffix(name, ".yaml") {
			continue
		}
		var b bytes.Buffer
		if err := root.ExecuteTemplate(&b, name, data); err != nil {
			die("%v", err)
		}
		// Helm renders a missing value as "<no value>"; it must never appear.
		out := strings.ReplaceAll(b.String(), "<no value>", "")
		if strings.TrimSpace(out) != "" {
			fmt.Printf("---\n# Source: %s/templates/%s\n%s\n", filepath.Base(chartDir), name,
				strings.TrimSpace(out))
		}
	}
}
