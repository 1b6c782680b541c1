module lgtm-platform/config-keys-from-source

go 1.22
