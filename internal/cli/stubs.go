package cli

import "github.com/spf13/cobra"

func newCDKCommands(o *options) []*cobra.Command { return nil }
