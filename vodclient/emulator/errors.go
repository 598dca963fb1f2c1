package emulator

import (
	"fmt"
	"net/http"
)

// apiError is answered with the gateway's JSON error body.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// errorBody is the gateway's error document, fields in the gateway's order.
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
	Recommend string
}

func recommendURL(code, requestID string) string {
	return fmt.Sprintf("https://api.aliyun.com/troubleshoot?q=%s&product=vod&requestId=%s", code, requestID)
}

func errMissing(name string) *apiError {
	return &apiError{http.StatusBadRequest, "MissingParameter",
		fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name)}
}

func errInvalid(name, why string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid. %s", name, why)}
}

func errIncomplete(why string) *apiError {
	return &apiError{http.StatusBadRequest, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards. " + why}
}

var (
	errTimestampFormat  = &apiError{http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	errTimestampExpired = &apiError{http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	errNonceUsed        = &apiError{http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already."}
	errKeyNotFound      = &apiError{http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	errTokenMissing     = &apiError{http.StatusBadRequest, "MissingSecurityToken", "Specified access key is an STS key; the request must carry its SecurityToken."}
	errTokenMalformed   = &apiError{http.StatusBadRequest, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed."}
	errTokenMismatch    = &apiError{http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."}
	errVersion          = &apiError{http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid."}
	errActionNotFound   = &apiError{http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."}
	errNoSuchResource   = &apiError{http.StatusNotFound, "NoSuchResource", "The specified resource does not exist."}
	errThrottled        = &apiError{http.StatusServiceUnavailable, "Throttling.User", "Request was denied due to user flow control."}
	errInternal         = &apiError{http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure."}
	errUnavailable      = &apiError{http.StatusServiceUnavailable, "ServiceUnAvailable", "The request has failed due to a temporary failure of the server."}
)

func errSignature(stringToSign string) *apiError {
	return &apiError{http.StatusBadRequest, "SignatureDoesNotMatch",
		"Specified signature is not matched with our calculation. server string to sign is:" + stringToSign}
}
