package synth

import "testing"

func TestStackNames(t *testing.T) {
	cases := []struct{ app, env, data, compute string }{
		{"mysite", "", "MysiteData", "MysiteApp"},
		{"my-site", "staging", "MySiteStagingData", "MySiteStagingApp"},
		{"shop", "prod_eu", "ShopProdEuData", "ShopProdEuApp"},
	}
	for _, c := range cases {
		if d, a := StackNames(c.app, c.env); d != c.data || a != c.compute {
			t.Errorf("StackNames(%q, %q) = %s, %s", c.app, c.env, d, a)
		}
	}
}
