import { awsEndpointArgument } from '../host/script-preamble';
import { OTLP_INGEST_TLS_FILES, OTLP_TLS_DIR, OTLP_TLS_FILES } from './otlp-sources';

/** Server certificates are renewed this long before they expire (at a boot, and by the daily renewal timer; see OTLP_CERTIFICATE_DAYS). */
export const OTLP_CERTIFICATE_RENEW_SECONDS = 60 * 86400;
/** 397 days: the longest validity TLS clients commonly accept for a server certificate. */
export const OTLP_CERTIFICATE_DAYS = 397;
/** The CA outlives many hosts on the same data volume; senders trust it, not the server certificate. */
export const OTLP_CA_DAYS = 3650;

const tlsPath = (file: string) => `"$ROOT${file}"`;

/**
 * bash functions of lgtm-secrets that give the host collector its OTLP server certificate without a secret ever
 * leaving the host: `ensure_otlp_tls PARAMETER CA_NAME` makes a private CA on the data volume the first time (its
 * key never leaves it), a P-256 server certificate naming the host's private address and DNS name (again when
 * they change, i.e. on a replacement host, or when it is due for renewal), and publishes the CA certificate, the
 * only public part, to the SSM String parameter PARAMETER when it differs. It sets OTLP_TLS_RENEWED=1 when it made a
 * new server certificate, so a caller between boots can restart the collector that loads it. With an ingest fleet,
 * `ensure_ingest_tls` issues the nodes' certificate from the same CA (see OTLP_INGEST_TLS_FILES). LGTM_OTLP_TLS_NAMES
 * (`IP:10.0.0.5,DNS:ip-10-0-0-5.ec2.internal`), when set, replaces the names from the instance metadata (tests).
 */
export const OTLP_TLS_FUNCTIONS = `# The names the server certificate carries, as subjectAltName entries: the host's private address and DNS name
# from the instance metadata (IMDSv2), else (no metadata service) every global address of the host; and loopback.
otlp_tls_names() {
  if [[ -n "\${LGTM_OTLP_TLS_NAMES:-}" ]]; then
    printf '%s\\n' "$LGTM_OTLP_TLS_NAMES"
    return 0
  fi
  local token ip name names=""
  if token="$(curl -sf -m 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)" &&
    ip="$(curl -sf -m 2 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/local-ipv4)"; then
    name="$(curl -sf -m 2 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/local-hostname)" || name=""
    names="IP:$ip\${name:+,DNS:$name}"
  else
    names="$(hostname -I 2>/dev/null | tr ' ' '\\n' | sed -n '/./s/^/IP:/p' | paste -sd, - || true)"
  fi
  printf '%s\\n' "\${names:+$names,}IP:127.0.0.1"
}

# Whether the certificate CERT (names file NAMES_FILE) must be issued again: missing, other names, or fewer than the margin days left.
otlp_certificate_due() {
  [[ ! -s "$1" || "$(cat "$2" 2>/dev/null)" != "$3" ]] || ! openssl x509 -checkend ${OTLP_CERTIFICATE_RENEW_SECONDS} -noout -in "$1" >/dev/null 2>&1
}

# A new P-256 key and server certificate from the CA for NAMES (subjectAltName entries), replacing CERT, KEY and NAMES_FILE.
issue_otlp_certificate() {
  local certificate="$1" key="$2" names_file="$3" names="$4" dir="$ROOT${OTLP_TLS_DIR}"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=\${names%%,*}" \\
    -keyout "$dir/.issued.key.new" -out "$dir/.issued.csr" 2>/dev/null
  openssl x509 -req -in "$dir/.issued.csr" -CA ${tlsPath(OTLP_TLS_FILES.caCertificate)} -CAkey ${tlsPath(OTLP_TLS_FILES.caKey)} \\
    -set_serial "0x$(openssl rand -hex 16)" -days ${OTLP_CERTIFICATE_DAYS} -out "$dir/.issued.crt.new" 2>/dev/null \\
    -extfile <(printf 'subjectAltName=%s\\nextendedKeyUsage=serverAuth\\nbasicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n' "$names")
  rm -f "$dir/.issued.csr"
  mv -f "$dir/.issued.key.new" "$key"
  mv -f "$dir/.issued.crt.new" "$certificate"
  printf '%s' "$names" >"$names_file"
}

OTLP_TLS_RENEWED=0
ensure_otlp_tls() {
  local parameter="$1" ca_name="$2" dir="$ROOT${OTLP_TLS_DIR}" names current
  names="$(otlp_tls_names)"
  mkdir -p "$dir"
  chmod 0700 "$dir"
  if [[ ! -s ${tlsPath(OTLP_TLS_FILES.caKey)} || ! -s ${tlsPath(OTLP_TLS_FILES.caCertificate)} ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days ${OTLP_CA_DAYS} -subj "/CN=$ca_name" \\
      -addext 'basicConstraints=critical,CA:TRUE,pathlen:0' -addext 'keyUsage=critical,keyCertSign,cRLSign' \\
      -keyout "$dir/.ca.key.new" -out "$dir/.ca.crt.new" 2>/dev/null
    mv -f "$dir/.ca.key.new" ${tlsPath(OTLP_TLS_FILES.caKey)}
    mv -f "$dir/.ca.crt.new" ${tlsPath(OTLP_TLS_FILES.caCertificate)}
    rm -f ${tlsPath(OTLP_TLS_FILES.certificate)} ${tlsPath(OTLP_INGEST_TLS_FILES.certificate)}
    echo "lgtm-secrets: made the OTLP CA ($ca_name)"
  fi
  if otlp_certificate_due ${tlsPath(OTLP_TLS_FILES.certificate)} ${tlsPath(OTLP_TLS_FILES.names)} "$names"; then
    issue_otlp_certificate ${tlsPath(OTLP_TLS_FILES.certificate)} ${tlsPath(OTLP_TLS_FILES.key)} ${tlsPath(OTLP_TLS_FILES.names)} "$names"
    OTLP_TLS_RENEWED=1
    echo "lgtm-secrets: OTLP server certificate for $names"
  fi
  chmod 0600 "$dir"/*
  current="$("$AWS" ssm get-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$parameter" --query Parameter.Value --output text 2>/dev/null)" || current=""
  if [[ "$current" != "$(cat ${tlsPath(OTLP_TLS_FILES.caCertificate)})" ]]; then
    # Not fatal: the host serves either way; senders cannot verify it (and refuse to send) until this succeeds.
    if "$AWS" ssm put-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$parameter" --type String --overwrite \\
        --value "file://$ROOT${OTLP_TLS_FILES.caCertificate}" >/dev/null; then
      echo "lgtm-secrets: published the OTLP CA certificate to $parameter"
    else
      echo "lgtm-secrets: cannot publish the OTLP CA certificate to $parameter; senders cannot verify the host until it is" >&2
    fi
  fi
}`;

/** bash function of lgtm-secrets with an ingest fleet: `ensure_ingest_tls NAMES_PARAMETER CERTIFICATE_PARAMETER KEY_PARAMETER KEY_ID` (after ensure_otlp_tls, whose CA and helpers it uses). */
export const OTLP_INGEST_TLS_FUNCTION = `# The ingest nodes' certificate: for the names Terraform put in NAMES_PARAMETER (the load balancer's DNS name), from
# the same CA, renewed like the host's; published when it differs from CERTIFICATE_PARAMETER: its key first, as a
# SecureString under KEY_ID that only the nodes' role may decrypt, then the certificate (a node installs the pair
# only when the key matches the certificate).
ensure_ingest_tls() {
  local names_parameter="$1" certificate_parameter="$2" key_parameter="$3" key_id="$4" names current
  if ! names="$("$AWS" ssm get-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$names_parameter" --query Parameter.Value --output text 2>/dev/null)"; then
    echo "lgtm-secrets: no ingest endpoint names in $names_parameter yet; the ingest nodes get their certificate at a later run" >&2
    return 0
  fi
  if [[ ! "$names" =~ ^DNS:[A-Za-z0-9.-]+(,DNS:[A-Za-z0-9.-]+)*$ ]]; then
    echo "lgtm-secrets: $names_parameter holds '$names'; expected DNS:<name>[,DNS:<name>...]" >&2
    failed=1
    return 0
  fi
  if otlp_certificate_due ${tlsPath(OTLP_INGEST_TLS_FILES.certificate)} ${tlsPath(OTLP_INGEST_TLS_FILES.names)} "$names"; then
    issue_otlp_certificate ${tlsPath(OTLP_INGEST_TLS_FILES.certificate)} ${tlsPath(OTLP_INGEST_TLS_FILES.key)} ${tlsPath(OTLP_INGEST_TLS_FILES.names)} "$names"
    chmod 0600 "$ROOT${OTLP_TLS_DIR}"/*
    echo "lgtm-secrets: OTLP ingest certificate for $names"
  fi
  current="$("$AWS" ssm get-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$certificate_parameter" --query Parameter.Value --output text 2>/dev/null)" || current=""
  [[ "$current" != "$(cat ${tlsPath(OTLP_INGEST_TLS_FILES.certificate)})" ]] || return 0
  if "$AWS" ssm put-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$key_parameter" --type SecureString --key-id "$key_id" --overwrite \\
      --value "file://$ROOT${OTLP_INGEST_TLS_FILES.key}" >/dev/null &&
    "$AWS" ssm put-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$certificate_parameter" --type String --overwrite \\
      --value "file://$ROOT${OTLP_INGEST_TLS_FILES.certificate}" >/dev/null; then
    echo "lgtm-secrets: published the OTLP ingest certificate to $certificate_parameter (its key to $key_parameter)"
  else
    echo "lgtm-secrets: cannot publish the OTLP ingest certificate to $certificate_parameter and $key_parameter; new ingest nodes cannot start until it is" >&2
    failed=1
  fi
}`;
