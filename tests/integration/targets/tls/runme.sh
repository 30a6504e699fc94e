#!/usr/bin/env bash
# TLS: the module verifies the CDM endpoint's certificate by default, trusts a
# private CA given in ca_path, and skips verification only with
# validate_certs: false. The CA and the certificate are throwaway ones, made here.
set -euo pipefail
# shellcheck source=tests/integration/targets/setup_cdm_simulator/simulator.sh
. ../setup_cdm_simulator/simulator.sh

pki="$CDM_WORK/pki"
mkdir "$pki"

# A CA, and a certificate for 127.0.0.1 (an IP SAN; no DNS name) signed by it.
# Another CA that signed nothing here, to show trusting the wrong CA fails too.
new_ca() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -keyout "$pki/$1.key" -out "$pki/$1.pem" -subj "/CN=huaweicloud.cdm $1" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
new_ca ca
new_ca other-ca
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$pki/server.key" -out "$pki/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
cat > "$pki/server.ext" <<'EXT'
subjectAltName = IP:127.0.0.1
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
EXT
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 2 -extfile "$pki/server.ext" -out "$pki/server.pem" 2>/dev/null

sim_start --tls-cert "$pki/server.pem" --tls-key "$pki/server.key"
# sim_start exports http:// URLs; this simulator speaks HTTPS only.
export SIM_URL="https://127.0.0.1:$SIM_PORT"
export HUAWEICLOUD_CDM_ENDPOINT="$SIM_URL"
export HUAWEICLOUD_SDK_IAM_ENDPOINT="$SIM_URL"
export HUAWEICLOUD_AUTH_TOKEN=sim-token
export TLS_CA="$pki/ca.pem"
export TLS_OTHER_CA="$pki/other-ca.pem"

playbook playbook.yml

# Ad hoc, as a user would first try it: refused, and told what to do.
fails adhoc huaweicloud.cdm.cdm_job_status "cluster_id=$SIM_CLUSTER_ID job_name=nightly_sync"
expect 'validate_certs' 'ca_path'
refuse 'Traceback (most recent call last)'
run adhoc huaweicloud.cdm.cdm_job_status "cluster_id=$SIM_CLUSTER_ID job_name=nightly_sync ca_path=$TLS_CA"
expect '"status": "SUCCEEDED"'
echo "tls target: ok"
