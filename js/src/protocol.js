// Wire message kinds; the Python side names the same ones in nbdemo/protocol.py.
export const SET = "set";
export const EVENT = "event";
export const RUNTIME = "runtime";
export const HELLO = "hello";
export const UPDATE = "update";
export const STATUS = "status";
export const ERROR = "error";
