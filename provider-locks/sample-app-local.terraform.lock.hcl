# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/aws" {
  version     = "6.48.0-dev.5f2286d6d836"
  constraints = "6.48.0-dev.5f2286d6d836"
  hashes = [
    "h1:qTpjfG2vQ9lIewzp+TW8PRiYdovJV12oEiByVZVVP4w=",
  ]
}
