// Command sesv2-go-e2e drives sesv2-mock with the AWS SDK for Go v2 (service/sesv2)
// and prints one JSON document describing what the SDK saw. tests/e2e/test_go_sdk.py
// builds it against Debian's golang-github-aws-aws-sdk-go-v2-dev (GOPATH mode, offline)
// and checks the output.
//
// Usage:
//
//	sesv2-go-e2e -endpoint http://127.0.0.1:PORT -account 123456789012 \
//	    -csv-url s3://bucket/key.csv [-trace]
//
// The CSV named by -csv-url is expected to hold 3 good suppression lines and 1 bad one
// (the Python test writes it); the program makes 5 import jobs from it in total.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// Seconds since the epoch with the fraction, as the server stores them.
func epoch(t *time.Time) *float64 {
	if t == nil {
		return nil
	}
	v := float64(t.UnixNano()) / 1e9
	return &v
}

func unix(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	v := t.Unix()
	return &v
}

type apiError struct {
	Code           string `json:"code"`
	Message        string `json:"message"`
	HTTPStatus     int    `json:"httpStatus"`
	RequestID      string `json:"requestId"`
	TypedNotFound  bool   `json:"typedNotFound"`
	TypedBadReq    bool   `json:"typedBadRequest"`
	GoErrorNonNull bool   `json:"isError"`
}

func describe(err error) *apiError {
	if err == nil {
		return nil
	}
	out := &apiError{GoErrorNonNull: true}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		out.Code = ae.ErrorCode()
		out.Message = ae.ErrorMessage()
	} else {
		out.Message = "not a smithy.APIError: " + err.Error()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		out.HTTPStatus = re.HTTPStatusCode()
		out.RequestID = re.ServiceRequestID()
	}
	var nf *types.NotFoundException
	out.TypedNotFound = errors.As(err, &nf)
	var br *types.BadRequestException
	out.TypedBadReq = errors.As(err, &br)
	return out
}

func fatal(step string, err error) {
	b, _ := json.Marshal(map[string]interface{}{"fatal": step, "error": err.Error(), "detail": describe(err)})
	fmt.Fprintln(os.Stderr, string(b))
	os.Exit(2)
}

func main() {
	endpoint := flag.String("endpoint", os.Getenv("SESV2_ENDPOINT"), "server URL")
	account := flag.String("account", "000000000000", "access key id (= account id)")
	region := flag.String("region", "us-east-1", "region")
	csvURL := flag.String("csv-url", "", "s3:// URL of the suppression CSV")
	trace := flag.Bool("trace", false, "log requests and responses with bodies to stderr")
	flag.Parse()
	if *endpoint == "" || *csvURL == "" {
		fmt.Fprintln(os.Stderr, "need -endpoint and -csv-url")
		os.Exit(64)
	}

	opts := sesv2.Options{
		Region:           *region,
		Credentials:      aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(*account, "x", "")),
		EndpointResolver: sesv2.EndpointResolverFromURL(*endpoint),
		RetryMaxAttempts: 1,
	}
	if *trace {
		opts.Logger = logging.NewStandardLogger(os.Stderr)
		opts.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody
	}
	client := sesv2.New(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out := map[string]interface{}{}

	// 1. CreateImportJob + poll GetImportJob until it is final.
	createJob := func(format types.DataFormat) (*sesv2.CreateImportJobOutput, error) {
		return client.CreateImportJob(ctx, &sesv2.CreateImportJobInput{
			ImportDestination: &types.ImportDestination{
				SuppressionListDestination: &types.SuppressionListDestination{
					SuppressionListImportAction: types.SuppressionListImportActionPut,
				},
			},
			ImportDataSource: &types.ImportDataSource{S3Url: csvURL, DataFormat: format},
		})
	}
	before := time.Now()
	created, err := createJob(types.DataFormatCsv)
	if err != nil {
		fatal("CreateImportJob", err)
	}
	jobID := aws.ToString(created.JobId)
	var job *sesv2.GetImportJobOutput
	polls := 0
	for deadline := time.Now().Add(30 * time.Second); ; {
		job, err = client.GetImportJob(ctx, &sesv2.GetImportJobInput{JobId: &jobID})
		if err != nil {
			fatal("GetImportJob", err)
		}
		polls++
		if job.JobStatus == types.JobStatusCompleted || job.JobStatus == types.JobStatusFailed {
			break
		}
		if time.Now().After(deadline) {
			fatal("GetImportJob", fmt.Errorf("job %s still %s after 30s", jobID, job.JobStatus))
		}
		time.Sleep(50 * time.Millisecond)
	}
	jobOut := map[string]interface{}{
		"JobId":                 aws.ToString(job.JobId),
		"JobStatus":             string(job.JobStatus),
		"ProcessedRecordsCount": job.ProcessedRecordsCount,
		"FailedRecordsCount":    job.FailedRecordsCount,
		"CreatedTimestamp":      unix(job.CreatedTimestamp),
		"CreatedEpoch":          epoch(job.CreatedTimestamp),
		"CompletedTimestamp":    unix(job.CompletedTimestamp),
		"CompletedEpoch":        epoch(job.CompletedTimestamp),
		"S3Url":                 aws.ToString(job.ImportDataSource.S3Url),
		"DataFormat":            string(job.ImportDataSource.DataFormat),
		"SuppressionListImportAction": func() string {
			if job.ImportDestination == nil || job.ImportDestination.SuppressionListDestination == nil {
				return ""
			}
			return string(job.ImportDestination.SuppressionListDestination.SuppressionListImportAction)
		}(),
		"HasFailedRecordsS3Url": job.FailureInfo != nil && aws.ToString(job.FailureInfo.FailedRecordsS3Url) != "",
		"FailureErrorMessage": func() *string {
			if job.FailureInfo == nil {
				return nil
			}
			return job.FailureInfo.ErrorMessage
		}(),
	}
	out["createdJobId"] = jobID
	out["clientTimeBefore"] = float64(before.UnixNano()) / 1e9
	out["job"] = jobOut
	out["polls"] = polls

	// 2. Four more jobs (five in all), then ListImportJobs with PageSize 2.
	ids := []string{jobID}
	for i := 0; i < 4; i++ {
		c, err := createJob(types.DataFormatCsv)
		if err != nil {
			fatal("CreateImportJob#more", err)
		}
		ids = append(ids, aws.ToString(c.JobId))
	}
	out["createdJobIds"] = ids
	out["clientTimeAfter"] = float64(time.Now().UnixNano()) / 1e9

	var pageSizes []int
	var listed []string
	var summaryHasCreated []bool
	var token *string
	for page := 0; page < 10; page++ {
		res, err := client.ListImportJobs(ctx, &sesv2.ListImportJobsInput{PageSize: aws.Int32(2), NextToken: token})
		if err != nil {
			fatal("ListImportJobs", err)
		}
		pageSizes = append(pageSizes, len(res.ImportJobs))
		for _, s := range res.ImportJobs {
			listed = append(listed, aws.ToString(s.JobId))
			summaryHasCreated = append(summaryHasCreated, s.CreatedTimestamp != nil && s.CreatedTimestamp.After(before.Add(-5*time.Second)))
		}
		token = res.NextToken
		if token == nil || *token == "" {
			break
		}
	}
	out["list"] = map[string]interface{}{
		"pageSizes":         pageSizes,
		"jobIds":            listed,
		"createdTimestamps": summaryHasCreated,
	}

	// The SDK's own paginator over the same listing.
	var paginatorSizes []int
	pag := sesv2.NewListImportJobsPaginator(client, &sesv2.ListImportJobsInput{PageSize: aws.Int32(2)})
	for pag.HasMorePages() {
		res, err := pag.NextPage(ctx)
		if err != nil {
			fatal("ListImportJobsPaginator", err)
		}
		paginatorSizes = append(paginatorSizes, len(res.ImportJobs))
	}
	out["paginatorPageSizes"] = paginatorSizes

	countOf := func(t types.ImportDestinationType) interface{} {
		res, err := client.ListImportJobs(ctx, &sesv2.ListImportJobsInput{ImportDestinationType: t, PageSize: aws.Int32(100)})
		if err != nil {
			return describe(err)
		}
		return len(res.ImportJobs)
	}
	out["listSuppressionListCount"] = countOf(types.ImportDestinationTypeSuppressionList)
	out["listContactListCount"] = countOf(types.ImportDestinationTypeContactList)

	_, err = client.ListImportJobs(ctx, &sesv2.ListImportJobsInput{NextToken: aws.String("forged-token")})
	out["forgedTokenError"] = describe(err)

	// 3. Errors: an unknown job, a bad data format (the Go SDK does not check enums).
	_, err = client.GetImportJob(ctx, &sesv2.GetImportJobInput{JobId: aws.String("00000000-0000-4000-8000-000000000000")})
	out["unknownJobError"] = describe(err)
	_, err = createJob(types.DataFormat("XML"))
	out["badFormatError"] = describe(err)

	// 4. Suppressed destinations: one from the import, one put directly.
	imported, err := client.GetSuppressedDestination(ctx, &sesv2.GetSuppressedDestinationInput{EmailAddress: aws.String("go+1@example.com")})
	if err != nil {
		out["imported"] = describe(err)
	} else {
		d := imported.SuppressedDestination
		out["imported"] = map[string]interface{}{
			"EmailAddress": aws.ToString(d.EmailAddress), "Reason": string(d.Reason),
			"LastUpdateTime": unix(d.LastUpdateTime),
		}
	}
	putBefore := time.Now()
	if _, err := client.PutSuppressedDestination(ctx, &sesv2.PutSuppressedDestinationInput{
		EmailAddress: aws.String("go-put@Example.COM"), Reason: types.SuppressionListReasonComplaint,
	}); err != nil {
		fatal("PutSuppressedDestination", err)
	}
	got, err := client.GetSuppressedDestination(ctx, &sesv2.GetSuppressedDestinationInput{EmailAddress: aws.String("go-put@example.com")})
	if err != nil {
		fatal("GetSuppressedDestination", err)
	}
	d := got.SuppressedDestination
	out["putBefore"] = float64(putBefore.UnixNano()) / 1e9
	out["suppressed"] = map[string]interface{}{
		"EmailAddress":    aws.ToString(d.EmailAddress),
		"Reason":          string(d.Reason),
		"LastUpdateTime":  unix(d.LastUpdateTime),
		"LastUpdateEpoch": epoch(d.LastUpdateTime),
	}
	_, err = client.GetSuppressedDestination(ctx, &sesv2.GetSuppressedDestinationInput{EmailAddress: aws.String("nobody@example.com")})
	out["unknownAddressError"] = describe(err)

	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fatal("encode", err)
	}
}
