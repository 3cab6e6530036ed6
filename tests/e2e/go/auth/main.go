// Command sesv2-go-auth drives a sesv2-mock started with --auth strict through the AWS SDK
// for Go v2 and prints, for each case, the error code and HTTP status the SDK saw ("" and
// 200 when the call succeeded). tests/e2e/test_strict_auth_go.py builds and checks it.
//
// Usage: sesv2-go-auth -endpoint http://127.0.0.1:PORT -key KEY -secret SECRET
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/smithy-go"
)

type outcome struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

func describe(err error) outcome {
	if err == nil {
		return outcome{Status: 200}
	}
	out := outcome{Message: err.Error()}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		out.Code, out.Message = ae.ErrorCode(), ae.ErrorMessage()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		out.Status = re.HTTPStatusCode()
	}
	return out
}

// Signs as if the clock were `offset` away from now.
type skewedSigner struct {
	inner  *v4.Signer
	offset time.Duration
}

func (s skewedSigner) SignHTTP(ctx context.Context, c aws.Credentials, r *http.Request, payloadHash, service, region string, t time.Time, optFns ...func(*v4.SignerOptions)) error {
	return s.inner.SignHTTP(ctx, c, r, payloadHash, service, region, t.Add(s.offset), optFns...)
}

// Changes the body on the wire, after the SDK signed it.
type tamperingTransport struct{}

func (tamperingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		body = bytes.Replace(body, []byte("go-tamper"), []byte("go-other!"), 1)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return http.DefaultTransport.RoundTrip(r)
}

func main() {
	endpoint := flag.String("endpoint", "", "server URL")
	key := flag.String("key", "", "access key id")
	secret := flag.String("secret", "", "secret access key")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	client := func(k, s string, edit func(*sesv2.Options)) *sesv2.Client {
		opts := sesv2.Options{
			Region:           "ap-southeast-2",
			Credentials:      aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(k, s, "")),
			EndpointResolver: sesv2.EndpointResolverFromURL(*endpoint),
			RetryMaxAttempts: 1,
		}
		if edit != nil {
			edit(&opts)
		}
		return sesv2.New(opts)
	}
	list := func(c *sesv2.Client) error {
		_, err := c.ListImportJobs(ctx, &sesv2.ListImportJobsInput{})
		return err
	}
	out := map[string]outcome{}
	out["rightKey"] = describe(list(client(*key, *secret, nil)))
	_, err := client(*key, *secret, nil).GetContactList(ctx, &sesv2.GetContactListInput{ContactListName: aws.String("no such list")})
	out["encodedLabel"] = describe(err)
	out["wrongSecret"] = describe(list(client(*key, "wrong", nil)))
	out["unknownKey"] = describe(list(client("AKIDNOBODY", *secret, nil)))
	out["oldDate"] = describe(list(client(*key, *secret, func(o *sesv2.Options) {
		o.HTTPSignerV4 = skewedSigner{inner: v4.NewSigner(), offset: -20 * time.Minute}
	})))
	_, err = client(*key, *secret, func(o *sesv2.Options) {
		o.HTTPClient = &http.Client{Transport: tamperingTransport{}}
	}).CreateContactList(ctx, &sesv2.CreateContactListInput{ContactListName: aws.String("go-tamper")})
	out["tamperedBody"] = describe(err)
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
	os.Exit(0)
}
