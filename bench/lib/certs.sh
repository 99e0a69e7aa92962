# Bash functions (sourced by bench/migration): a certificate directory for QEMU's own migration TLS, as QEMU's
# tls-creds-x509 reads it (ca-cert.pem, server-cert.pem, server-key.pem, client-cert.pem, client-key.pem), made
# with GnuTLS's certtool the way QEMU's and libvirt's TLS guides make them: a CA, a server certificate for
# localhost and 127.0.0.1 and a client certificate, valid for a day. RSA 2048 keys: QEMU wants key encipherment
# in the key usage, which certtool leaves out for ECDSA keys. jvirt's PeerMigrationTlsIT makes the same set.

# qemu_tls_certs DIR: makes a fresh CA and its two certificates in DIR (the CA's key and templates stay next to
# them; the caller removes DIR).
qemu_tls_certs() {
  local dir=$1 role
  mkdir -p "$dir"
  certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$dir/ca-key.pem" 2>/dev/null
  printf '%s\n' "cn = jvirt bench CA" ca cert_signing_key "expiration_days = 1" > "$dir/ca.info"
  certtool --generate-self-signed --load-privkey "$dir/ca-key.pem" --template "$dir/ca.info" \
    --outfile "$dir/ca-cert.pem" 2>/dev/null
  printf '%s\n' "organization = jvirt bench" "cn = localhost" "dns_name = localhost" "ip_address = 127.0.0.1" \
    tls_www_server encryption_key signing_key "expiration_days = 1" > "$dir/server.info"
  printf '%s\n' "organization = jvirt bench" "cn = jvirt-bench-client" tls_www_client encryption_key signing_key \
    "expiration_days = 1" > "$dir/client.info"
  for role in server client; do
    certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$dir/$role-key.pem" 2>/dev/null
    certtool --generate-certificate --load-privkey "$dir/$role-key.pem" --load-ca-certificate "$dir/ca-cert.pem" \
      --load-ca-privkey "$dir/ca-key.pem" --template "$dir/$role.info" --outfile "$dir/$role-cert.pem" 2>/dev/null
  done
  chmod 0600 "$dir"/*-key.pem
  # jvirt's QEMU runs as jvirt-qemu and reads the keys itself, as libvirt's guide has them for libvirt-qemu
  if getent group jvirt-qemu >/dev/null; then chgrp jvirt-qemu "$dir"/*-key.pem && chmod 0640 "$dir"/*-key.pem; fi
  chmod 0755 "$dir"
}
