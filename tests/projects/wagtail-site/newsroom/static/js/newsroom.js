// newsroom site scripts
